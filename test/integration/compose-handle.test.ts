import { describe, expect, it } from 'vitest';
import { CommandFailedError, compose, ServiceFailedError, wait, WaitTimeoutError } from '../../src/index.js';
import { OWNER_LABEL } from '../../src/usecases/owner.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { tempProject } from '../helpers/fixtures.js';
import { NOTHING, projectResources } from '../helpers/project.js';

const engine = await engineForTests();

const COMPOSE = `name: i15-stack
services:
  api:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "mkdir -p /www && echo ok > /www/health && echo api up && exec httpd -f -p 3000 -h /www"]
    ports: ["127.0.0.1::3000"]
    depends_on: [db]
  db:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo starting; echo ready to accept connections; echo oops >&2; exec sleep 600"]
    volumes: [data:/data]
volumes:
  data: {}
`;

describe.skipIf(!engine)('a stack brought up from a test', () => {
  const workingDir = tempProject({ 'compose.yaml': COMPOSE });

  it('is isolated, reachable, runs commands, shows logs, and leaves nothing after its block', async () => {
    let name: string;
    {
      await using stack = await compose({ workingDir, isolate: true })
        .withWait('api', wait.http('/health', { port: 3000 }))
        .withWait('db', wait.log(/ready to accept connections/))
        .up();
      name = stack.name;
      expect(name).toMatch(/^i15-stack-[0-9a-f]{8}$/);

      const { host, port, url } = stack.endpoint('api', 3000);
      expect(host).toBe('127.0.0.1');
      expect(url).toBe(`http://127.0.0.1:${port}`);
      expect(await (await fetch(`${url}/health`)).text()).toBe('ok\n');

      expect(await stack.exec('db', ['sh', '-c', 'echo $((6 * 7)); echo warn >&2; exit 2'])).toEqual({ exitCode: 2, stdout: '42\n', stderr: 'warn\n' });
      // stdout and stderr reach the engine through pipes of their own: their order is not kept.
      expect((await stack.logs('db')).split('\n').sort()).toEqual(['', 'oops', 'ready to accept connections', 'starting']);
      expect((await stack.logs('db', { tail: 1 })).split('\n')).toHaveLength(2);

      // A one-off container of the service: its own command, exit code checked, then removed.
      expect(await stack.run('db', ['sh', '-c', 'echo "migrated $STAGE"'], { env: { STAGE: 'test' } })).toEqual({ exitCode: 0, stdout: 'migrated test\n', stderr: '' });
      const failed = await stack.run('db', ['sh', '-c', 'echo broken >&2; exit 4']).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(CommandFailedError);
      expect((failed as CommandFailedError).message).toBe('"sh -c echo broken >&2; exit 4" in a one-off container of service "db" exited with code 4: broken');
      expect((await stack.run('db', ['sh', '-c', 'exit 4'], { check: false })).exitCode).toBe(4);

      const resources = await projectResources(engine!, name);
      expect(resources.containers).toHaveLength(2);
      const { Config } = await engine!.docker.getContainer(`${name}-db-1`).inspect();
      expect(Config.Labels[OWNER_LABEL.pid]).toBe(String(process.pid));
      const { Labels: volumeLabels } = await engine!.docker.getVolume(`${name}_data`).inspect();
      expect(volumeLabels[OWNER_LABEL.pid]).toBe(String(process.pid));
    }
    expect(await projectResources(engine!, name)).toEqual(NOTHING);
  });

  it('gives two stacks of one compose file names of their own', async () => {
    const [first, second] = await Promise.all([compose({ workingDir, isolate: true }).up(), compose({ workingDir, isolate: true }).up()]);
    try {
      expect(first.name).not.toBe(second.name);
      expect(first.endpoint('api', 3000).port).not.toBe(second.endpoint('api', 3000).port);
    } finally {
      await Promise.all([first.down(), second.down()]);
    }
  });

  it('reports a wait that fails and takes the stack down', async () => {
    const failure = await compose({ workingDir, isolate: true })
      .withWait('db', wait.log('never printed', { timeout: 1 }))
      .up()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WaitTimeoutError);
    const [report] = (failure as WaitTimeoutError).containers;
    expect(report!.reason).toContain('waited to log "never printed"');
    expect(report!.logs).toContain('ready to accept connections');
    const left = await engine!.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${report!.container.replace(/-db-1$/, '')}`] } });
    expect(left).toEqual([]);
  });

  it('stops when up is aborted half-way and leaves nothing behind', async () => {
    const projectName = 'i15-stack-aborted';
    const controller = new AbortController();
    const starting = compose({
      workingDir,
      projectName,
      onProgress: (event) => {
        if (event.kind === 'StartContainer' && event.status === 'done') controller.abort(new Error('test aborted'));
      },
    })
      .withWait('db', wait.log('never printed'))
      .up({ signal: controller.signal });
    await expect(starting).rejects.toThrow('test aborted');
    expect(await projectResources(engine!, projectName)).toEqual(NOTHING);
  });

  it('refuses a fixed container name with isolate, before anything is created', async () => {
    const fixed = tempProject({ 'compose.yaml': `services:\n  app:\n    image: ${TEST_IMAGE}\n    container_name: i15-fixed\n` });
    await expect(compose({ workingDir: fixed, isolate: true }).up()).rejects.toThrow('service "app" sets container_name: i15-fixed, which every isolated stack of this file would take');
  });

  it('names what is wrong with the arguments of a plain-JS caller', () => {
    expect(() => compose('test/stack' as never)).toThrow(/options is an object, not the string "test\/stack" \(a directory is given as \{ workingDir: "test\/stack" \}\)/);
    expect(() => compose({ workingDir }).withWait('api', 'http' as never)).toThrow(TypeError);
    expect(ServiceFailedError).toBeDefined();
  });
});
