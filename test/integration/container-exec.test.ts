import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execInContainer } from '../../src/engine/container-exec.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';

const engine = await engineForTests();

const CONTAINER = 'tscompose-i15-exec';

async function removeContainer(): Promise<void> {
  await engine!.docker
    .getContainer(CONTAINER)
    .remove({ force: true })
    .catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 404) throw error;
    });
}

describe.skipIf(!engine)('a command run in a container', () => {
  beforeAll(async () => {
    await removeContainer();
    const container = await engine!.docker.createContainer({ name: CONTAINER, Image: TEST_IMAGE, Cmd: ['sleep', '600'], StopTimeout: 0, HostConfig: { NetworkMode: 'none' } });
    await container.start();
  });
  afterAll(removeContainer);

  it('returns its exit code and its stdout and stderr apart', async () => {
    const result = await execInContainer(engine!, CONTAINER, ['sh', '-c', 'echo out; echo err >&2; echo more-out; exit 3']);
    expect(result).toEqual({ exitCode: 3, stdout: 'out\nmore-out\n', stderr: 'err\n' });
  });

  it('keeps output that spans many frames whole', async () => {
    const result = await execInContainer(engine!, CONTAINER, ['seq', '1', '50000']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n').slice(-3)).toEqual(['49999', '50000', '']);
  });

  it('runs as the user, in the directory and with the variables given', async () => {
    const result = await execInContainer(engine!, CONTAINER, ['sh', '-c', 'echo "$(id -u) $(pwd) $GREETING"'], { user: '65534', workingDir: '/tmp', env: { GREETING: 'hello there' } });
    expect(result.stdout).toBe('65534 /tmp hello there\n');
  });

  it('reports a command that does not exist through its exit code and the runtime\'s message', async () => {
    const result = await execInContainer(engine!, CONTAINER, ['no-such-command']);
    // 126 from Engine 20.10's runc, 127 from newer ones.
    expect([126, 127]).toContain(result.exitCode);
    expect(result.stdout + result.stderr).toMatch(/not found/);
  });

  it('stops waiting when its signal aborts', async () => {
    const controller = new AbortController();
    const running = execInContainer(engine!, CONTAINER, ['sh', '-c', 'echo started; sleep 600'], { signal: controller.signal });
    // Aborted once the command has certainly started: the exec is visible on the container.
    for (;;) {
      const { ExecIDs } = await engine!.docker.getContainer(CONTAINER).inspect();
      if ((ExecIDs ?? []).length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    controller.abort(new Error('test over'));
    await expect(running).rejects.toThrow('test over');
  });
});
