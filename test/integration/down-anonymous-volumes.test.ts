import { describe, expect, it } from 'vitest';
import { down } from '../../src/usecases/index.js';
import { LABEL } from '../../src/planner/labels.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { forceRemoveProject } from '../helpers/project.js';

const engine = await engineForTests();

const PROJECT = 'i15-anonymous-volumes';

describe.skipIf(!engine)('down --volumes', () => {
  it("removes a container's anonymous volumes with it, and only with --volumes", async () => {
    await forceRemoveProject(engine!, PROJECT);
    const anonymousVolume = async (number: number) => {
      const labels = { [LABEL.project]: PROJECT, [LABEL.service]: 'app', [LABEL.containerNumber]: String(number), [LABEL.oneoff]: 'False' };
      const container = await engine!.docker.createContainer({ name: `${PROJECT}-app-${number}`, Image: TEST_IMAGE, Cmd: ['true'], Labels: labels, Volumes: { '/scratch': {} }, HostConfig: { NetworkMode: 'none' } });
      return (await container.inspect()).Mounts[0]!.Name!;
    };
    try {
      const kept = await anonymousVolume(1);
      await down({ projectName: PROJECT, workingDir: '/', connection: engine! });
      expect((await engine!.docker.getVolume(kept).inspect()).Name).toBe(kept);
      await engine!.docker.getVolume(kept).remove();

      const removed = await anonymousVolume(1);
      await down({ projectName: PROJECT, workingDir: '/', connection: engine!, removeVolumes: true });
      await expect(engine!.docker.getVolume(removed).inspect()).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      await forceRemoveProject(engine!, PROJECT);
    }
  });
});
