import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, up, down, ServiceNotRunningError } from '../../src/usecases/index.js';
import { runBin, runOnTerminal } from '../helpers/bin.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { tempProject } from '../helpers/fixtures.js';
import { forceRemoveProject } from '../helpers/project.js';

const engine = await engineForTests();

const PROJECT = 'i13-exec';
const COMPOSE = `name: ${PROJECT}
services:
  db:
    image: ${TEST_IMAGE}
    command: ["sleep", "600"]
    stop_grace_period: 0s
    deploy:
      replicas: 2
  job:
    image: ${TEST_IMAGE}
    command: ["true"]
`;

describe.skipIf(!engine)('exec', () => {
  let dir: string;
  const options = () => ({ workingDir: dir, environment: {}, connection: engine! });

  beforeAll(async () => {
    await forceRemoveProject(engine!, PROJECT);
    dir = tempProject({ 'compose.yaml': COMPOSE });
    await up({ ...options(), wait: true, services: ['db'] });
  });
  afterAll(async () => {
    await down({ ...options(), timeout: 0 }).catch(() => undefined);
    await forceRemoveProject(engine!, PROJECT);
  });

  it("passes the command's exit code through: 0, 3, and the runtime's for a missing command", async () => {
    expect((await runBin(['exec', '-T', 'db', 'true'], dir)).code).toBe(0);
    const three = await runBin(['exec', '-T', 'db', 'sh', '-c', 'echo out; echo err >&2; exit 3'], dir);
    expect(three).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    const missing = await runBin(['exec', '-T', 'db', 'no-such-command'], dir);
    // 126 from Engine 20.10's runc, 127 from newer ones.
    expect([126, 127]).toContain(missing.code);
  });

  it('feeds stdin to the command (seeding a database from a file) and takes -e, -u, -w and --index', async () => {
    const seeded = await runBin(['exec', '-T', 'db', 'sh', '-c', 'cat > /tmp/seed.sql && wc -l < /tmp/seed.sql'], dir, 'insert 1;\ninsert 2;\n');
    expect(seeded).toMatchObject({ code: 0, stdout: '2\n' });
    const settings = await runBin(['exec', '-T', '-e', 'GREETING=hi there', '-u', '65534', '-w', '/tmp', '--index', '2', 'db', 'sh', '-c', 'echo "$GREETING $(id -u) $(pwd) $(hostname)"'], dir);
    const second = await engine!.docker.getContainer(`${PROJECT}-db-2`).inspect();
    expect(settings.stdout).toBe(`hi there 65534 /tmp ${second.Config.Hostname}\n`);
  });

  it('-d starts the command and returns', async () => {
    expect((await runBin(['exec', '-d', 'db', 'sh', '-c', 'echo detached > /tmp/detached'], dir)).code).toBe(0);
    await expect.poll(async () => (await exec({ ...options(), service: 'db', command: ['cat', '/tmp/detached'] })).stdout, { timeout: 10_000 }).toBe('detached\n');
  });

  it('a service that is not running, or that the project lacks, is a one-line error with exit 1', async () => {
    const stopped = await runBin(['exec', '-T', 'job', 'true'], dir);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('service "job" has no running container');
    const unknown = await runBin(['exec', '-T', 'dbb', 'true'], dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no such service: dbb');
    expect(unknown.stderr).toContain('db');
    expect((await runBin(['exec', 'db'], dir)).code).toBe(2);
    await expect(exec({ ...options(), service: 'job', command: ['true'] })).rejects.toBeInstanceOf(ServiceNotRunningError);
  });

  it('on a terminal, runs a shell on a tty: it echoes, takes input and exits with its code', async () => {
    const { code, screen } = await runOnTerminal(['exec', 'db', 'sh'], dir, [
      { expect: '# ', type: 'echo typed-$((6*7)); tty\r' },
      { expect: /typed-42\s+\/dev\/pts\//, type: 'exit 3\r' },
    ]);
    expect(screen).toContain('echo typed-$((6*7))');
    expect(code).toBe(3);
  });

  it('in the library, returns the exit code and the output, stdout and stderr apart', async () => {
    expect(await exec({ ...options(), service: 'db', command: ['sh', '-c', 'echo out; echo err >&2; exit 4'] })).toEqual({ exitCode: 4, stdout: 'out\n', stderr: 'err\n' });
  });
});
