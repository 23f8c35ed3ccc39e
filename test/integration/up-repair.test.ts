import { describe, expect, it } from 'vitest';
import { down } from '../../src/usecases/down.js';
import { up } from '../../src/usecases/up.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { tempProject } from '../helpers/fixtures.js';
import { forceRemoveProject, NOTHING, PROJECT_LABEL, projectResources } from '../helpers/project.js';

const engine = await engineForTests();

const COMPOSE = `services:\n${['a', 'b', 'c'].map((name) => `  ${name}:\n    image: ${TEST_IMAGE}\n    command: ["sleep", "600"]\n    stop_grace_period: 1s\n`).join('')}`;

/** The race's leftovers made by hand, then one up that must repair them, one that does nothing, and a down that leaves nothing. */
describe.skipIf(!engine)('up repairs what concurrent runs left', () => {
  const setUp = async (name: string) => {
    await forceRemoveProject(engine!, name);
    const options = { workingDir: tempProject({ 'compose.yaml': COMPOSE }, name), environment: {}, projectName: name, connection: engine!, timeout: 1 };
    await up(options);
    return options;
  };
  const converged = async (options: Awaited<ReturnType<typeof setUp>>) => {
    try {
      expect((await up(options)).plan.operations).toEqual([]);
      for (const service of ['a', 'b', 'c']) expect((await engine!.docker.getContainer(`${options.projectName}-${service}-1`).inspect()).State.Running).toBe(true);
      await down(options);
      expect(await projectResources(engine!, options.projectName)).toEqual(NOTHING);
    } finally {
      await forceRemoveProject(engine!, options.projectName);
    }
  };

  // b is stopped when connected: the engine records no network id for it, so which of the two it is on is unknown.
  it('a second network of the project’s name, with a container on it: removed by id, the container recreated on the right one', async () => {
    const options = await setUp('i16-dup');
    const name = 'i16-dup_default';
    const stray = await engine!.docker.createNetwork({ Name: name, CheckDuplicate: false, Labels: { [PROJECT_LABEL]: options.projectName, 'com.docker.compose.network': 'default' } });
    const b = engine!.docker.getContainer('i16-dup-b-1');
    await b.stop({ t: 0 });
    const kept = (await engine!.docker.listNetworks({ filters: JSON.stringify({ name: [name] }) })).find((network) => network.Id !== stray.id)!;
    await engine!.docker.getNetwork(kept.Id).disconnect({ Container: 'i16-dup-b-1' });
    await engine!.docker.getNetwork(stray.id).connect({ Container: 'i16-dup-b-1' });

    const { plan } = await up(options);
    expect(plan.operations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'RemoveNetwork', network: stray.id, cause: `duplicate of network ${name}` }),
        expect.objectContaining({ kind: 'CreateContainer', container: 'i16-dup-b-1', cause: `attached to network ${name}, which has a duplicate` }),
      ]),
    );
    expect((await projectResources(engine!, options.projectName)).networks).toEqual([name]);
    await converged(options);
  });

  it('a network removed under stopped containers (down racing an up): the containers are recreated, the network made again', async () => {
    const options = await setUp('i16-gone-net');
    const name = 'i16-gone-net_default';
    for (const service of ['a', 'b', 'c']) await engine!.docker.getContainer(`i16-gone-net-${service}-1`).stop({ t: 0 });
    await engine!.docker.getNetwork(name).remove();

    const { plan } = await up(options);
    expect(plan.operations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'CreateNetwork', network: name }),
        expect.objectContaining({ kind: 'CreateContainer', container: 'i16-gone-net-a-1', cause: `network ${name} was removed under it` }),
      ]),
    );
    await converged(options);
  });
});
