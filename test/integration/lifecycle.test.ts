import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { tempProject } from '../helpers/fixtures.js';
import { forceRemoveProject } from '../helpers/project.js';

const engine = await engineForTests();

const PROJECT = 'i13-lifecycle';
const COMPOSE = `name: ${PROJECT}
services:
  db:
    image: ${TEST_IMAGE}
    # Its exit code tells that stop sent its stop_signal.
    command: ["sh", "-c", "trap 'exit 42' USR1; while true; do sleep 1; done"]
    stop_signal: SIGUSR1
    stop_grace_period: 30s
  web:
    image: ${TEST_IMAGE}
    # sleep as pid 1 ignores SIGTERM: only the SIGKILL after the grace period ends it.
    command: ["sleep", "600"]
    stop_grace_period: 30s
    depends_on: [db]
`;

const container = (service: string) => engine!.docker.getContainer(`${PROJECT}-${service}-1`).inspect();
const state = async (service: string) => (await container(service)).State;

describe.skipIf(!engine)('start, stop, restart, kill, pause, unpause, rm and create', () => {
  let dir: string;
  const cli = (...args: string[]) => runCli(['--progress', 'plain', ...args], dir);

  beforeAll(async () => {
    await forceRemoveProject(engine!, PROJECT);
    dir = tempProject({ 'compose.yaml': COMPOSE });
  });
  afterAll(() => forceRemoveProject(engine!, PROJECT));

  it('create makes the containers without starting them; start starts them in dependency order', async () => {
    const dry = await cli('create', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`create-container:${PROJECT}-web-1`);
    expect(dry.stdout).not.toContain('start-container');
    expect((await cli('create')).code).toBe(0);
    expect((await state('web')).Status).toBe('created');

    const planned = await cli('start', '--dry-run', '--format', 'json');
    expect(JSON.parse(planned.stdout).operations.map((op: { id: string; dependsOn: string[] }) => [op.id, op.dependsOn])).toEqual([
      [`start-container:${PROJECT}-db-1`, []],
      [`start-container:${PROJECT}-web-1`, [`start-container:${PROJECT}-db-1`]],
    ]);
    expect((await state('web')).Status).toBe('created');
    expect((await cli('start')).code).toBe(0);
    expect((await state('db')).Running).toBe(true);
    expect((await state('web')).Running).toBe(true);
  });

  it('restart keeps the containers, and their ids', async () => {
    const before = await container('web');
    const result = await cli('restart', '-t', '0', 'web');
    expect(result.code).toBe(0);
    const after = await container('web');
    expect(after.Id).toBe(before.Id);
    expect(after.State.StartedAt).not.toBe(before.State.StartedAt);
  });

  it('pause and unpause', async () => {
    expect((await cli('pause', 'web')).code).toBe(0);
    expect((await state('web')).Paused).toBe(true);
    expect((await cli('unpause')).code).toBe(0);
    expect((await state('web')).Paused).toBe(false);
  });

  it("stop sends each service's stop_signal; -t overrides stop_grace_period", async () => {
    const dry = await cli('stop', 'db', '--dry-run');
    expect(dry.stdout).toContain(`stop-container:${PROJECT}-db-1`);
    expect(dry.stdout).not.toContain('web-1');
    const planned = JSON.parse((await cli('stop', '-t', '0', 'web', '--dry-run', '--format', 'json')).stdout);
    expect(planned.operations).toMatchObject([{ kind: 'StopContainer', container: `${PROJECT}-web-1`, timeout: 0 }]);
    expect((await cli('stop', '-t', '0', 'web')).code).toBe(0);
    expect((await state('web')).ExitCode).toBe(137);
    expect((await cli('stop')).code).toBe(0);
    expect((await state('db')).ExitCode).toBe(42);
  });

  it('kill sends the signal to running containers only', async () => {
    expect((await cli('start', 'web')).code).toBe(0);
    expect((await cli('kill', '-s', 'KILL', '--dry-run')).stdout).toMatch(new RegExp(`kill-container:${PROJECT}-web-1(?![\\s\\S]*db-1)`));
    expect((await cli('kill', '-s', 'KILL')).code).toBe(0);
    expect((await state('web')).Running).toBe(false);
  });

  it('rm removes stopped containers only, unless -s; a service it does not know is an error naming the services', async () => {
    expect((await cli('start')).code).toBe(0);
    expect((await cli('stop', '-t', '0', 'web')).code).toBe(0);
    const rm = await cli('rm', '-f');
    expect(rm.code).toBe(0);
    await expect(container('web')).rejects.toMatchObject({ statusCode: 404 });
    expect((await state('db')).Running).toBe(true);

    const unknown = await cli('rm', '-f', 'wbe');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no such service: wbe');
    expect(unknown.stderr).toContain('web');

    expect((await cli('rm', '-f', '-s', '-v')).code).toBe(0);
    await expect(container('db')).rejects.toMatchObject({ statusCode: 404 });
    expect((await cli('rm', '-f')).stderr).toContain('No stopped containers');
  });
});
