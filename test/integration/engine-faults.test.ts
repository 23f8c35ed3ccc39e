import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineConnectionLostError, EngineTimeoutError } from '../../src/engine/call-bounds.js';
import { connectEngine } from '../../src/engine/client.js';
import { down } from '../../src/usecases/down.js';
import { up } from '../../src/usecases/up.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { startEngineProxy, type EngineProxy } from '../helpers/engine-proxy.js';
import { ROOT, tempProject } from '../helpers/fixtures.js';
import { forceRemoveProject, NOTHING, PROJECT_LABEL, projectResources } from '../helpers/project.js';

const engine = await engineForTests();

const COMPOSE = (services: string[]) =>
  `services:\n${services.map((name) => `  ${name}:\n    image: ${TEST_IMAGE}\n    command: ["sleep", "600"]\n    stop_grace_period: 1s\n`).join('')}`;

/** An engine connection through the proxy, with a bound short enough for a test and long enough for a loaded engine's network create. */
const throughProxy = (proxy: EngineProxy, timeoutSeconds = '10') =>
  connectEngine({ ...process.env, DOCKER_API_VERSION: undefined, DOCKER_HOST: proxy.url, COMPOSE_HTTP_TIMEOUT: timeoutSeconds });

const isStart = (call: { method: string; path: string }) => call.method === 'POST' && /^\/containers\/[^/]+\/start$/.test(call.path);
const isCreate = (call: { method: string; path: string }) => call.method === 'POST' && call.path === '/containers/create';

describe.skipIf(!engine)('an engine that stalls or goes away under a call', () => {
  const proxies: EngineProxy[] = [];
  const targets: { name: string; workingDir: string; environment: NodeJS.ProcessEnv; projectName: string }[] = [];
  const newProxy = async () => {
    const proxy = await startEngineProxy();
    proxies.push(proxy);
    return proxy;
  };
  /** A project of `services` under `name`, cleared first; after the test, one down leaves nothing labelled. */
  const project = async (name: string, services: string[]) => {
    await forceRemoveProject(engine!, name);
    const target = { name, workingDir: tempProject({ 'compose.yaml': COMPOSE(services) }, name), environment: {}, projectName: name };
    targets.push(target);
    return target;
  };

  afterEach(async () => {
    for (const proxy of proxies.splice(0)) await proxy.close();
    for (const target of targets.splice(0)) {
      try {
        await down({ ...target, connection: engine!, timeout: 1 });
        expect(await projectResources(engine!, target.name)).toEqual(NOTHING);
      } finally {
        await forceRemoveProject(engine!, target.name);
      }
    }
  });

  it('a stalled engine: up fails with the address and the call once the bound has passed, and the next up converges', async () => {
    const proxy = await newProxy();
    const target = await project('i16-stall', ['a']);
    proxy.rule = (call) => (isCreate(call) ? 'stall' : 'forward');
    const error = await up({ ...target, connection: await throughProxy(proxy) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineTimeoutError);
    expect((error as Error).message).toBe(`the Docker engine at ${proxy.url} did not answer POST /containers/create within 10 s`);
    expect((error as EngineTimeoutError).hint).toContain('COMPOSE_HTTP_TIMEOUT');
    await up({ ...target, connection: engine! });
    expect((await projectResources(engine!, target.name)).containers).toEqual(['i16-stall-a-1']);
  });

  it('a stalled engine: Ctrl-C ends up at once, well before the bound', async () => {
    const proxy = await newProxy();
    const target = await project('i16-stall-int', ['a']);
    proxy.rule = (call) => (isCreate(call) ? 'stall' : 'forward');
    const child = spawn(join(ROOT, 'bin', 'tscompose'), ['-p', target.name, '--progress', 'plain', 'up', '-d'], {
      cwd: target.workingDir,
      env: { ...process.env, DOCKER_HOST: proxy.url, DOCKER_API_VERSION: '', COMPOSE_HTTP_TIMEOUT: '600' },
      stdio: 'ignore',
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    await proxy.seen(isCreate);
    child.kill('SIGINT');
    // The bound is 600 s: an exit within the test's own timeout is the Ctrl-C's doing.
    const { code, signal } = await exited;
    expect(code === 0).toBe(false);
    expect(code !== null || signal === 'SIGINT').toBe(true);
  });

  it('an engine that goes away mid-up: the error says so, not only what the engine last said', async () => {
    const proxy = await newProxy();
    const target = await project('i16-gone', ['a']);
    let gone = false;
    // A stopping dockerd fails the calls in flight with its own 500, then stops answering.
    proxy.rule = (call) => {
      if (gone) return 'cut';
      if (!isStart(call)) return 'forward';
      gone = true;
      return { status: 500, message: 'failed to update store for object type *libnetwork.endpoint: open : no such file or directory' };
    };
    const error = await up({ ...target, connection: await throughProxy(proxy) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineConnectionLostError);
    expect((error as Error).message).toMatch(
      new RegExp(`^the Docker engine at ${proxy.url.replace(/\./g, '\\.')} went away during POST /containers/i16-gone-a-1/start: connection (reset|closed) \\(\\w+\\); its last answer was: failed to update store for object type \\*libnetwork\\.endpoint`),
    );
    expect((error as EngineConnectionLostError).hint).toContain('run the command again');
    await up({ ...target, connection: engine! });
    expect((await engine!.docker.getContainer('i16-gone-a-1').inspect()).State.Running).toBe(true);
  });

  it('an engine whose connection breaks under a call: the error names the address and the call', async () => {
    const proxy = await newProxy();
    const target = await project('i16-cut', ['a']);
    proxy.rule = (call) => (isStart(call) ? 'cut' : 'forward');
    const error = await up({ ...target, connection: await throughProxy(proxy) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineConnectionLostError);
    expect((error as Error).message).toMatch(new RegExp(`^the Docker engine at ${proxy.url.replace(/\./g, '\\.')} went away during POST /containers/i16-cut-a-1/start: connection (reset|closed)`));
    await up({ ...target, connection: engine! });
    expect((await engine!.docker.getContainer('i16-cut-a-1').inspect()).State.Running).toBe(true);
  });
});

describe.skipIf(!engine)('names in API paths', () => {
  it('a network named with a space, a slash and a ! is inspected and removed by that name', async () => {
    const name = 'i16 bad/net!';
    await engine!.docker.getNetwork(name).remove().catch(() => undefined);
    await engine!.docker.createNetwork({ Name: name, CheckDuplicate: true, Labels: { [PROJECT_LABEL]: 'i16-escape' } });
    try {
      expect((await engine!.docker.getNetwork(name).inspect()).Name).toBe(name);
    } finally {
      await engine!.docker.getNetwork(name).remove();
    }
    expect(await projectResources(engine!, 'i16-escape')).toEqual(NOTHING);
  });

  it('an image name keeps its registry, path and tag', async () => {
    expect((await engine!.docker.getImage(TEST_IMAGE).inspect()).RepoTags).toContain(TEST_IMAGE);
  });
});
