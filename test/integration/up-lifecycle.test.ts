import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { execIn } from '../helpers/exec.js';
import { fixtureProject, NOTHING, PROJECT_LABEL, projectResources } from '../helpers/project.js';

const engine = await engineForTests();

const SERVICES = ['db', 'web', 'cache'] as const;

/** The overrides of fixtures/engine/lifecycle, applied one after the other. */
const BASE = ['compose.yaml'];
const ENV = [...BASE, 'compose.env.yaml'];
const EXTRA_NETWORK = [...ENV, 'compose.extra-network.yaml'];
const MTU = [...EXTRA_NETWORK, 'compose.mtu.yaml'];

/** A host port this file holds with a process outside Docker. */
const HELD_PORT = 18790;

describe.skipIf(!engine)('up and down: lifecycle on the engine', () => {
  const project = fixtureProject(engine, 'lifecycle', 'tscompose-it-lifecycle');
  const docker = engine?.docker;

  async function state(): Promise<Record<string, { id: string; startedAt: string; running: boolean; networks: Record<string, { NetworkID: string; Aliases: string[] | null }> }>> {
    const out: Awaited<ReturnType<typeof state>> = {};
    for (const service of SERVICES) {
      const details = await project.inspect(service);
      out[service] = { id: details.Id, startedAt: details.State.StartedAt, running: details.State.Running, networks: details.NetworkSettings.Networks as never };
    }
    return out;
  }

  describe('depends_on: condition: service_healthy', () => {
    it('starts the dependent only after the dependency passed its first health check', async () => {
      const result = await project.up({ files: BASE });
      expect(result.plan.operations.some((op) => op.kind === 'WaitContainer' && op.condition === 'healthy' && op.container === project.container('db'))).toBe(true);
      // At once: the engine keeps only the last five checks.
      const db = await project.inspect('db');
      const web = await project.inspect('web');
      const log = (db.State as { Health?: { Status: string; Log: { Start: string; End: string; ExitCode: number }[] } }).Health?.Log ?? [];
      const firstSuccess = log.findIndex((check) => check.ExitCode === 0);
      expect(firstSuccess, `health log of db: ${JSON.stringify(log)}`).toBeGreaterThan(0);
      // A failed check before it: this is the first success, not a later one.
      expect(log[firstSuccess - 1]!.ExitCode).not.toBe(0);
      const healthyAt = Date.parse(log[firstSuccess]!.End);
      const webStartedAt = Date.parse(web.State.StartedAt);
      expect(webStartedAt, `web started at ${web.State.StartedAt}, db first healthy at ${log[firstSuccess]!.End}`).toBeGreaterThanOrEqual(healthyAt);
      expect(Date.parse(db.State.StartedAt)).toBeLessThan(healthyAt);
      for (const service of SERVICES) expect((await project.inspect(service)).State.Running, service).toBe(true);
    });
  });

  describe('convergence', () => {
    it('a second up of the unchanged file has no operations and keeps every container', async () => {
      const before = await state();
      const result = await project.up({ files: BASE });
      expect(result.plan.operations).toEqual([]);
      expect(result.plan.containers.map((c) => [c.service, c.action])).toEqual(SERVICES.map((s) => [s, 'keep']));
      const after = await state();
      for (const service of SERVICES) {
        expect(after[service]!.id, service).toBe(before[service]!.id);
        expect(after[service]!.startedAt, service).toBe(before[service]!.startedAt);
      }
    });

    it("changing one service's environment recreates that one only", async () => {
      const before = await state();
      const result = await project.up({ files: ENV });
      expect(Object.fromEntries(result.plan.containers.map((c) => [c.service, c.action]))).toEqual({ db: 'keep', web: 'recreate', cache: 'keep' });
      const after = await state();
      expect(after.web!.id).not.toBe(before.web!.id);
      expect(after.web!.running).toBe(true);
      expect((await project.inspect('web')).Config.Env).toContain('MODE=two');
      for (const service of ['db', 'cache']) {
        expect(after[service]!.id, service).toBe(before[service]!.id);
        expect(after[service]!.startedAt, service).toBe(before[service]!.startedAt);
      }
    });

    it('adding a network to a service connects it in place: same container, not restarted', async () => {
      const before = await state();
      const front = project.network('front');
      expect(Object.keys(before.cache!.networks)).not.toContain(front);
      const result = await project.up({ files: EXTRA_NETWORK });
      expect(result.plan.operations.map((op) => op.id)).toEqual([`connect-network:${project.container('cache')}:${front}`]);
      const after = await state();
      for (const service of SERVICES) {
        expect(after[service]!.id, service).toBe(before[service]!.id);
        expect(after[service]!.startedAt, service).toBe(before[service]!.startedAt);
      }
      expect(Object.keys(after.cache!.networks).sort()).toEqual([project.network('back'), front]);
      expect(after.cache!.networks[front]!.Aliases).toEqual(expect.arrayContaining(['cache', project.container('cache')]));
      // And it is really on it: web, which is on front, reaches cache's address there.
      const address = (await project.inspect('cache')).NetworkSettings.Networks[front]!.IPAddress;
      const ping = await execIn(engine!, project.container('web'), ['ping', '-c', '1', '-W', '2', address]);
      expect(ping.exitCode, ping.stdout + ping.stderr).toBe(0);
    });

    it("changing a network's driver options recreates the network and reconnects the same containers, running", async () => {
      const before = await state();
      const back = project.network('back');
      const oldNetwork = await docker!.getNetwork(back).inspect();
      const result = await project.up({ files: MTU });
      expect(result.plan.networks.find((n) => n.key === 'back')?.action).toBe('recreate');
      expect(result.plan.containers.map((c) => [c.service, c.action])).toEqual(SERVICES.map((s) => [s, 'keep']));
      const newNetwork = await docker!.getNetwork(back).inspect();
      expect(newNetwork.Id).not.toBe(oldNetwork.Id);
      expect(newNetwork.Options?.['com.docker.network.driver.mtu']).toBe('1400');
      const after = await state();
      for (const service of SERVICES) {
        expect(after[service]!.id, service).toBe(before[service]!.id);
        expect(after[service]!.running, `${service} is running`).toBe(true);
        expect(after[service]!.startedAt, `${service} was not restarted`).toBe(before[service]!.startedAt);
        expect(after[service]!.networks[back]?.NetworkID, `${service} is attached to the new ${back}`).toBe(newNetwork.Id);
        expect(after[service]!.networks[back]?.Aliases, service).toEqual(expect.arrayContaining([service]));
      }
      // db is only on back: its one interface (named anew by the reconnection) has the new MTU.
      const link = await execIn(engine!, project.container('db'), ['ip', '-o', 'link', 'show']);
      expect(link.stdout).toMatch(/eth\d+@\S+ .*mtu 1400/);
    });

    it('after the network was recreated, a further up has nothing to do', async () => {
      const result = await project.up({ files: MTU });
      expect(result.plan.operations).toEqual([]);
    });
  });

  describe('down', () => {
    const decoys = { container: 'tscompose-it-decoy-web-1', network: 'tscompose-it-decoy_default', unlabeledNetwork: 'tscompose-it-lifecycle_other' };

    async function removeDecoys(): Promise<void> {
      await docker?.getContainer(decoys.container).remove({ force: true }).catch(() => undefined);
      await docker?.getNetwork(decoys.network).remove().catch(() => undefined);
      await docker?.getNetwork(decoys.unlabeledNetwork).remove().catch(() => undefined);
    }
    afterAll(removeDecoys);

    it("removes every container and network of the project, keeps its volume, and touches nothing else", async () => {
      await removeDecoys();
      // Another project's container and network, and a network named like one of this project's but without labels.
      const decoyLabels = { [PROJECT_LABEL]: 'tscompose-it-decoy', 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '1', 'com.docker.compose.oneoff': 'False' };
      const decoy = await docker!.createContainer({ name: decoys.container, Image: TEST_IMAGE, Cmd: ['sleep', '600'], StopTimeout: 1, Labels: decoyLabels, HostConfig: { NetworkMode: 'none' } });
      await decoy.start();
      await docker!.createNetwork({ Name: decoys.network, Labels: { [PROJECT_LABEL]: 'tscompose-it-decoy', 'com.docker.compose.network': 'default' } });
      await docker!.createNetwork({ Name: decoys.unlabeledNetwork });

      const before = await project.resources();
      expect(before.containers).toEqual(SERVICES.map((s) => project.container(s)).sort());
      expect(before.networks).toEqual([project.network('back'), project.network('front')]);
      expect(before.volumes).toEqual([`${project.name}_data`]);

      await project.down({ files: MTU });
      expect(await project.resources()).toEqual({ containers: [], networks: [], volumes: [`${project.name}_data`] });

      expect((await docker!.getContainer(decoys.container).inspect()).State.Running).toBe(true);
      expect((await docker!.getNetwork(decoys.network).inspect()).Name).toBe(decoys.network);
      expect((await docker!.getNetwork(decoys.unlabeledNetwork).inspect()).Name).toBe(decoys.unlabeledNetwork);
      expect((await projectResources(engine!, 'tscompose-it-decoy')).containers).toEqual([decoys.container]);
      await removeDecoys();
    });

    it("down -v also removes the project's named volume", async () => {
      await project.up({ files: MTU });
      expect((await project.resources()).volumes).toEqual([`${project.name}_data`]);
      await project.down({ files: MTU, removeVolumes: true });
      expect(await project.resources()).toEqual(NOTHING);
      await expect(docker!.getVolume(`${project.name}_data`).inspect()).rejects.toMatchObject({ statusCode: 404 });
    });
  });
});

describe.skipIf(!engine)('up: a host port held by a process outside Docker', () => {
  const project = fixtureProject(engine, 'lifecycle', 'tscompose-it-lifecycle-port');
  let server: Server | undefined;
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('fails before creating anything, naming the port and the process', async () => {
    server = createServer();
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen({ host: '127.0.0.1', port: HELD_PORT }, resolve);
    });
    const failure = await project.up({ files: [...BASE, 'compose.port.yaml'] }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure, 'up should fail').toBeInstanceOf(Error);
    expect(failure!.message).toContain(`127.0.0.1:${HELD_PORT}`);
    expect(failure!.message).toContain(`process ${process.pid}`);
    expect(await project.resources()).toEqual(NOTHING);
  });
});
