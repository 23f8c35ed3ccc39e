import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { NotASwarmManagerError, stack, StackConflictError, StackConvergeError } from '../../src/usecases/index.js';
import { engineForTests } from '../helpers/engine.js';
import { STACK_NAMESPACE_LABEL } from '../../src/planner/swarm/index.js';
import { runCli } from '../helpers/cli.js';
import { eventually, httpBody, shIn } from '../helpers/exec.js';
import { fixture } from '../helpers/fixtures.js';
import { startSwarm, stopSwarm, taskContainer, type SwarmForTests } from '../helpers/swarm.js';

const dir = fixture('valid', 'stack');
const NAME = 'i17shop';

/** Output of a shell script in a running task of the service, retried until it exits 0. */
const inTask = (swarm: SwarmForTests, service: string, script: string) =>
  eventually(async () => {
    const result = await shIn(swarm.manager, await taskContainer(swarm.manager, service), script);
    if (result.exitCode !== 0) throw new Error(`${script} in ${service}: exit ${result.exitCode}: ${result.stderr}`);
    return result.stdout.trim();
  }, { timeoutMs: 30_000 });

describe('stack deploy on a single-node swarm', () => {
  let swarm: SwarmForTests | undefined;
  beforeAll(async () => {
    swarm = await startSwarm(1);
  });
  afterAll(async () => {
    if (swarm) await stopSwarm();
  });

  it('deploys a two-network stack and converges', async () => {
    if (!swarm) return;
    const { plan } = await stack.deploy({ stack: NAME, workingDir: dir, environment: {}, connection: swarm.manager, resolveImage: 'never', wait: true, waitTimeout: 120 });
    expect(plan.services.map((service) => `${service.name} ${service.action}`)).toEqual([`${NAME}_agent create`, `${NAME}_api create`, `${NAME}_web create`]);
    const services = await stack.services({ stack: NAME, connection: swarm.manager });
    expect(services.map((service) => `${service.name} ${service.mode} ${service.running}/${service.desired}`)).toEqual([`${NAME}_agent global 1/1`, `${NAME}_api replicated 2/2`, `${NAME}_web replicated 1/1`]);
  });

  it('the CLI lists the stack, its services and tasks, and plans nothing for a redeploy', async () => {
    if (!swarm) return;
    const previous = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = swarm.manager.address.display;
    try {
      expect((await runCli(['stack', 'ls'], dir)).stdout).toMatch(new RegExp(`^${NAME}\\s+3$`, 'm'));
      const services = JSON.parse((await runCli(['stack', 'services', '--format', 'json', NAME], dir)).stdout) as { name: string; running: number }[];
      expect(services.map((service) => `${service.name} ${service.running}`)).toEqual([`${NAME}_agent 1`, `${NAME}_api 2`, `${NAME}_web 1`]);
      const ps = await runCli(['stack', 'ps', '--filter', 'desired-state=running', NAME], dir);
      expect(ps.stdout.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[5])).toEqual(['running', 'running', 'running', 'running']);
      const dryRun = await runCli(['stack', 'deploy', '--resolve-image', 'never', '--dry-run', NAME], dir);
      expect([dryRun.code, dryRun.stdout]).toEqual([0, expect.stringContaining('none: the swarm already holds the stack')]);
    } finally {
      if (previous === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = previous;
    }
  });

  it('resolves services by name, alias and tasks.<service> over the overlay networks', async () => {
    if (!swarm) return;
    expect(await inTask(swarm, `${NAME}_web`, 'timeout 3 wget -qO- http://api/')).toBe('tscompose busybox test image');
    expect(await inTask(swarm, `${NAME}_agent`, 'timeout 3 wget -qO- http://backend/')).toBe('tscompose busybox test image');
    expect(await inTask(swarm, `${NAME}_web`, 'timeout 3 wget -qO- http://www/')).toBe('tscompose busybox test image');
    // The script fails until the embedded DNS names both tasks, so inTask retries it.
    const addresses = await inTask(swarm, `${NAME}_agent`, "test $(nslookup tasks.api 127.0.0.11 | awk '/^Address/ && !/127.0.0.11/ {print $NF}' | sort -u | wc -l) = 2 && echo 2");
    expect(addresses).toBe('2');
    // web is on front and back, agent only on back: the alias of front is not resolvable from agent.
    const fromAgent = await shIn(swarm.manager, await taskContainer(swarm.manager, `${NAME}_agent`), 'nslookup www 127.0.0.11');
    expect(fromAgent.stdout).not.toMatch(/Name:\s+www/);
  });

  it('publishes a host-mode port the host reaches, and mounts the secret and the config', async () => {
    if (!swarm) return;
    expect(await httpBody(`http://${swarm.hostReaches}:18080/`, 30_000)).toBe('tscompose busybox test image\n');
    expect(await inTask(swarm, `${NAME}_web`, 'cat /run/secrets/token')).toBe('s3cret');
    expect(await inTask(swarm, `${NAME}_web`, 'cat /etc/motd')).toBe('hello from the config');
  });

  it('changes nothing on a redeploy of the unchanged file, and updates only a changed service, keeping its id', async () => {
    if (!swarm) return;
    const versions = async () => Object.fromEntries(((await swarm!.manager.docker.listServices()) as unknown as { ID: string; Version: { Index: number }; Spec: { Name: string } }[]).map((s) => [s.Spec.Name, `${s.ID}@${s.Version.Index}`]));
    const before = await versions();
    const again = await stack.deploy({ stack: NAME, workingDir: dir, environment: {}, connection: swarm.manager, resolveImage: 'never' });
    expect(again.plan.operations).toEqual([]);
    expect(await versions()).toEqual(before);

    const { plan } = await stack.deploy({ stack: NAME, workingDir: dir, environment: {}, files: ['compose.yaml', 'api-change.yaml'], connection: swarm.manager, resolveImage: 'never', wait: true, waitTimeout: 120 });
    expect(plan.operations.map((op) => `${op.kind} ${op.resource}`)).toEqual([`UpdateService service:${NAME}_api`]);
    const after = await versions();
    expect(after[`${NAME}_api`]!.split('@')[0]).toBe(before[`${NAME}_api`]!.split('@')[0]);
    expect(after[`${NAME}_api`]).not.toBe(before[`${NAME}_api`]);
    expect(after[`${NAME}_web`]).toBe(before[`${NAME}_web`]);
    expect(after[`${NAME}_agent`]).toBe(before[`${NAME}_agent`]);
  });

  it('waits for a job to complete, and reports a failing task with its error and logs', async () => {
    if (!swarm) return;
    const job = ['services:', '  once:', '    image: tscompose/busybox:latest', '    command: ["sh", "-c", "echo done"]', '    deploy: {mode: replicated-job, replicas: 2}'].join('\n');
    onTestFinished(() => stack.rm({ stack: 'i17job', connection: swarm!.manager }).then(() => undefined));
    onTestFinished(() => stack.rm({ stack: 'i17fail', connection: swarm!.manager }).then(() => undefined));
    const done = await stack.deploy({ stack: 'i17job', workingDir: dir, files: ['-'], stdin: job, environment: {}, connection: swarm.manager, resolveImage: 'never', wait: true, waitTimeout: 120 });
    expect(done.plan.services.map((service) => `${service.mode} ${service.replicas}`)).toEqual(['replicated-job 2']);
    const failing = ['services:', '  broken:', '    image: tscompose/busybox:latest', '    command: ["sh", "-c", "echo the database is gone >&2; exit 3"]', '    deploy: {restart_policy: {condition: none}}'].join('\n');
    const error = await stack.deploy({ stack: 'i17fail', workingDir: dir, files: ['-'], stdin: failing, environment: {}, connection: swarm.manager, resolveImage: 'never', wait: true, waitTimeout: 120 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StackConvergeError);
    const [task] = (error as StackConvergeError).failedTasks;
    expect(task).toMatchObject({ service: 'i17fail_broken', state: 'failed', error: 'task: non-zero exit (3)', logs: ['the database is gone'] });
    expect((error as Error).message).toContain('the database is gone');
  });

  it('rolls a service to a secret with new content, removes the old version, and prunes a service no longer in the file', async () => {
    if (!swarm) return;
    const work = mkdtempSync(join(tmpdir(), 'i17-secret-'));
    try {
      const compose = (withExtra: boolean) =>
        ['services:', '  app:', '    image: tscompose/busybox:latest', '    command: ["sleep", "3600"]', '    init: true', '    secrets: [key]', ...(withExtra ? ['  extra:', '    image: tscompose/busybox:latest', '    command: ["sleep", "3600"]', '    init: true'] : []), 'secrets:', '  key: {file: ./key.txt}'].join('\n');
      writeFileSync(join(work, 'key.txt'), 'first');
      writeFileSync(join(work, 'compose.yaml'), compose(true));
      const options = { stack: 'i17rot', workingDir: work, environment: {}, connection: swarm.manager, resolveImage: 'never' as const, wait: true, waitTimeout: 120 };
      await stack.deploy(options);
      expect(await inTask(swarm, 'i17rot_app', 'cat /run/secrets/key')).toBe('first');
      writeFileSync(join(work, 'key.txt'), 'second');
      writeFileSync(join(work, 'compose.yaml'), compose(false));
      const { plan } = await stack.deploy({ ...options, prune: true });
      expect(plan.operations.map((op) => op.id.replace(/-[0-9a-f]{12}$/, '-…'))).toEqual(['create-secret:i17rot_key-…', 'update-service:i17rot_app', 'remove-service:i17rot_extra', 'remove-secret:i17rot_key-…']);
      expect(await inTask(swarm, 'i17rot_app', 'cat /run/secrets/key')).toBe('second');
      const secrets = (await swarm.manager.docker.listSecrets({ filters: JSON.stringify({ label: [`${STACK_NAMESPACE_LABEL}=i17rot`] }) })) as { Spec: { Name: string } }[];
      expect(secrets.map((secret) => secret.Spec.Name)).toEqual([plan.secrets[0]!.name]);
      expect((await stack.services({ stack: 'i17rot', connection: swarm.manager })).map((service) => service.name)).toEqual(['i17rot_app']);
    } finally {
      await stack.rm({ stack: 'i17rot', connection: swarm.manager });
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('stack rm leaves nothing with the namespace label', async () => {
    if (!swarm) return;
    await stack.rm({ stack: NAME, connection: swarm.manager });
    const { docker } = swarm.manager;
    const filters = JSON.stringify({ label: [`${STACK_NAMESPACE_LABEL}=${NAME}`] });
    // As with docker stack rm, the engine lets go of a removed network once its last task is gone.
    const left = () => Promise.all([docker.listServices({ filters }), docker.listNetworks({ filters }), docker.listSecrets({ filters }), docker.listConfigs({ filters })]);
    await eventually(async () => {
      if ((await left()).some((list) => list.length > 0)) throw new Error('stack resources left');
    }, { timeoutMs: 60_000 });
    expect((await left()).flat()).toEqual([]);
    expect(await stack.ls({ connection: swarm.manager })).toEqual([]);
  });
});

describe('stack deploy on a two-node swarm (a second dockerd in its own network namespace, joined as a worker)', () => {
  let swarm: SwarmForTests | undefined;
  beforeAll(async () => {
    swarm = await startSwarm(2);
  });
  afterAll(async () => {
    if (swarm) await stopSwarm();
  });

  it('runs a global service as one task per node, and a task on node 2 reaches the task on node 1 over the overlay (VXLAN)', async () => {
    if (!swarm?.worker) return;
    const name = 'i17global';
    await stack.deploy({ stack: name, workingDir: fixture('valid', 'stack-global'), environment: {}, connection: swarm.manager, resolveImage: 'never', wait: true, waitTimeout: 120 });
    const tasks = (await stack.ps({ stack: name, connection: swarm.manager })).filter((task) => task.desiredState === 'running');
    expect(tasks.map((task) => task.state)).toEqual(['running', 'running']);
    expect(new Set(tasks.map((task) => task.nodeId)).size).toBe(2);

    const onManager = await swarm.manager.docker.getContainer(await taskContainer(swarm.manager, `${name}_everywhere`)).inspect();
    const managerAddress = onManager.NetworkSettings.Networks[`${name}_default`]!.IPAddress;
    const onWorker = await taskContainer(swarm.worker, `${name}_everywhere`);
    const page = await eventually(async () => {
      const result = await shIn(swarm!.worker!, onWorker, `timeout 3 wget -qO- http://${managerAddress}/`);
      if (result.exitCode !== 0) throw new Error(`wget ${managerAddress} from node 2: exit ${result.exitCode}`);
      return result.stdout.trim();
    }, { timeoutMs: 30_000 });
    expect(page).toBe('tscompose busybox test image');
    const resolved = await eventually(async () => {
      const result = await shIn(swarm!.worker!, onWorker, `nslookup tasks.everywhere 127.0.0.11 | grep -q ${managerAddress} && echo found`);
      if (result.stdout.trim() !== 'found') throw new Error(`tasks.everywhere does not name ${managerAddress} yet`);
      return result.stdout.trim();
    }, { timeoutMs: 30_000 });
    expect(resolved).toBe('found');
  });
});

describe('stack commands on an engine that is no swarm manager (the shared test engine)', () => {
  it('deploy plans a conflict and creates nothing; ls says what to do', async () => {
    const engine = await engineForTests();
    if (!engine) return;
    const { plan } = await stack.deploy({ stack: 'i17none', workingDir: dir, environment: {}, connection: engine, dryRun: true });
    expect(plan.conflicts.map((conflict) => conflict.kind)).toEqual(['not-a-swarm-manager']);
    expect(plan.operations).toEqual([]);
    await expect(stack.deploy({ stack: 'i17none', workingDir: dir, environment: {}, connection: engine })).rejects.toBeInstanceOf(StackConflictError);
    await expect(stack.ls({ connection: engine })).rejects.toBeInstanceOf(NotASwarmManagerError);
  });
});
