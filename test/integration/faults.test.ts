import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { down } from '../../src/usecases/down.js';
import { up } from '../../src/usecases/up.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { startEngineProxy } from '../helpers/engine-proxy.js';
import { ROOT, tempProject } from '../helpers/fixtures.js';
import { forceRemoveProject, NOTHING, PROJECT_LABEL, projectResources } from '../helpers/project.js';

const engine = await engineForTests();

/**
 * 40 services on two networks, a quarter of them waiting for another (depends_on), so that an
 * interruption can land while networks, containers and starts are each half done.
 */
function stack(services: number): string {
  const lines = ['services:'];
  for (let index = 0; index < services; index++) {
    const name = `s${String(index).padStart(2, '0')}`;
    lines.push(`  ${name}:`, `    image: ${TEST_IMAGE}`, '    command: ["sleep", "600"]', '    stop_grace_period: 1s', `    networks: [${index % 2 ? 'front, back' : 'front'}]`);
    if (index % 4 === 3) lines.push('    depends_on:', `      s${String(index - 1).padStart(2, '0')}:`, '        condition: service_started');
  }
  lines.push('networks:', '  front: {}', '  back: {}');
  return lines.join('\n') + '\n';
}

const SERVICES = 40;
const RUN = (process.pid % 10_000).toString(36);
/** An interrupted up, one that converges and a down of 40 containers, on a loaded 2-core machine. */
const SCENARIO_TIMEOUT = 300_000;
const BIN = join(ROOT, 'bin', 'tscompose');

interface Run {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
}

/** tscompose as its own process, as a user or a CI step runs it. */
function tscompose(dir: string, project: string, args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const child = spawn(BIN, ['-p', project, '--progress', 'plain', ...args], { cwd: dir, env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    exited: new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr }))),
    kill: (signal) => child.kill(signal),
  };
}

/** Resolves once the project has at least `count` containers (running or not), polling the engine. */
async function untilContainers(project: string, count: number, state?: 'running'): Promise<void> {
  const filters = JSON.stringify({ label: [`${PROJECT_LABEL}=${project}`], ...(state ? { status: [state] } : {}) });
  const deadline = Date.now() + 120_000;
  while ((await engine!.docker.listContainers({ all: true, filters })).length < count) {
    if (Date.now() > deadline) throw new Error(`${project} never had ${count} containers${state ? ` ${state}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves once the project has at least one network. */
async function untilNetwork(project: string): Promise<void> {
  const filters = JSON.stringify({ label: [`${PROJECT_LABEL}=${project}`] });
  const deadline = Date.now() + 120_000;
  while ((await engine!.docker.listNetworks({ filters })).length === 0) {
    if (Date.now() > deadline) throw new Error(`${project} never had a network`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!engine)('faults during a 40-service up, and what the next runs make of them', () => {
  const made: string[] = [];
  /**
   * A fresh project directory under `name` and this run's suffix, nothing of it on the engine. The
   * suffix: a network Docker 20.10 miscounted cannot be removed until dockerd restarts, and must
   * not fail every later run on a shared engine.
   */
  const project = async (base: string) => {
    const name = `${base}-${RUN}`;
    await forceRemoveProject(engine!, name);
    made.push(name);
    return { name, dir: tempProject({ 'compose.yaml': stack(SERVICES) }, name) };
  };
  afterAll(async () => {
    for (const name of made) await forceRemoveProject(engine!, name);
  });

  /** After any fault: one up converges (all 40 running), a second plans nothing, one down leaves nothing labelled. */
  async function convergesThenCleans(target: { name: string; dir: string }): Promise<void> {
    const options = { workingDir: target.dir, environment: {}, projectName: target.name, connection: engine! };
    await up(options);
    await untilContainers(target.name, SERVICES, 'running');
    expect((await up(options)).plan.operations).toEqual([]);
    await down({ ...options, timeout: 1 });
    expect(await projectResources(engine!, target.name)).toEqual(NOTHING);
  }

  const moments: [string, (project: string) => Promise<void>][] = [
    ['once its first network exists', (name) => untilNetwork(name)],
    ['once 10 containers exist', (name) => untilContainers(name, 10)],
    ['once 30 containers exist', (name) => untilContainers(name, 30)],
  ];
  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    for (const [moment, reached] of moments) {
      it(`${signal} ${moment}: only labelled resources are left, the next up converges and down cleans`, async () => {
        const target = await project(`i16-${signal === 'SIGINT' ? 'int' : 'kill'}-${moments.findIndex(([m]) => m === moment)}`);
        const run = tscompose(target.dir, target.name, ['up', '-d']);
        await reached(target.name);
        run.kill(signal);
        const { code } = await run.exited;
        expect(code).not.toBe(0);
        await convergesThenCleans(target);
      }, SCENARIO_TIMEOUT);
    }
  }

  it('a stalled engine half-way (a proxy that stops answering after 15 creates): up gives up within its bound, then converges', async () => {
    const target = await project('i16-stalled');
    const proxy = await startEngineProxy();
    let creates = 0;
    proxy.rule = (call) => (call.method === 'POST' && call.path === '/containers/create' && ++creates > 15 ? 'stall' : 'forward');
    try {
      const { code, stderr } = await tscompose(target.dir, target.name, ['up', '-d'], { ...process.env, DOCKER_HOST: proxy.url, DOCKER_API_VERSION: '', COMPOSE_HTTP_TIMEOUT: '15' }).exited;
      expect(code).toBe(1);
      expect(stderr).toContain(`error: the Docker engine at ${proxy.url} did not answer POST /containers/create within 15 s`);
    } finally {
      await proxy.close();
    }
    await convergesThenCleans(target);
  }, SCENARIO_TIMEOUT);

  it('two ups of one project at once: neither fails, no network is made twice, and the project converges', async () => {
    const target = await project('i16-twice');
    const [first, second] = await Promise.all([tscompose(target.dir, target.name, ['up', '-d']).exited, tscompose(target.dir, target.name, ['up', '-d']).exited]);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect((await projectResources(engine!, target.name)).networks).toEqual([`${target.name}_back`, `${target.name}_front`]);
    await convergesThenCleans(target);
  }, SCENARIO_TIMEOUT);

  it('up while down of the same project runs: up ends with every container running on the networks it needs', async () => {
    const target = await project('i16-updown');
    await up({ workingDir: target.dir, environment: {}, projectName: target.name, connection: engine! });
    const downRun = tscompose(target.dir, target.name, ['down', '-t', '1']);
    // Once down has removed a container, it is under way: up starts then.
    const filters = JSON.stringify({ label: [`${PROJECT_LABEL}=${target.name}`] });
    while ((await engine!.docker.listContainers({ all: true, filters })).length === SERVICES) await new Promise((resolve) => setTimeout(resolve, 20));
    const upped = await tscompose(target.dir, target.name, ['up', '-d']).exited;
    expect((await downRun.exited).code).toBe(0);
    expect(upped.code).toBe(0);
    await untilContainers(target.name, SERVICES, 'running');
    await convergesThenCleans(target);
  }, SCENARIO_TIMEOUT);

  // SIGTERM of a foreground up stops its containers as Ctrl-C does (issue 14).
  it('SIGTERM of a foreground up: nothing is left running, the next up converges and down cleans', async () => {
    const target = await project('i16-term');
    const run = tscompose(target.dir, target.name, ['up']);
    await untilContainers(target.name, SERVICES, 'running');
    run.kill('SIGTERM');
    await run.exited;
    const running = await engine!.docker.listContainers({ filters: JSON.stringify({ label: [`${PROJECT_LABEL}=${target.name}`] }) });
    try {
      expect(running).toEqual([]);
    } finally {
      await convergesThenCleans(target);
    }
  }, SCENARIO_TIMEOUT);
});
