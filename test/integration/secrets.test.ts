import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/planner/types.js';
import { runBin } from '../helpers/bin.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { ROOT, tempProject } from '../helpers/fixtures.js';
import { forceRemoveProject, NOTHING, projectResources } from '../helpers/project.js';

/**
 * A service's secrets and configs reach its container, as compose puts them there: a file secret
 * and a file config bind-mounted read-only, an environment secret and a content config written
 * after create with their owner and mode; seen from inside with `exec cat`. The dry run names the
 * secret, never prints it. And a recreate leaves no anonymous volume of the old container behind.
 */

const engine = await engineForTests();
const PROJECT = 'tscompose-it-secrets';
/** Each test runs the built CLI, a process of its own, on a shared 2-core machine. */
const TIMEOUT_MS = 180_000;
const TOKEN = 'tok-3f9a1c-never-printed';

const COMPOSE = `services:
  box:
    image: ${TEST_IMAGE}
    command: ["sleep", "600"]
    stop_grace_period: 1s
    secrets:
      - db_password
      - source: api_token
        target: api
        uid: "1000"
        gid: "1001"
        mode: 0400
    configs:
      - source: app_conf
        target: /etc/app/app.conf
      - motd
  scratch:
    image: ${TEST_IMAGE}
    command: ["sleep", "600"]
    stop_grace_period: 1s
    volumes:
      - /data
secrets:
  db_password:
    file: ./db_password.txt
  api_token:
    environment: API_TOKEN
configs:
  app_conf:
    file: ./app.conf
  motd:
    content: "hello from \${PROJECT_GREETING:-content}"
`;

describe.skipIf(!engine)('secrets and configs in the container, on the engine', () => {
  let dir: string;
  const run = (...args: string[]) => runBin(['-p', PROJECT, ...args], dir);
  const inside = async (...command: string[]) => {
    const exec = await run('exec', '-T', 'box', ...command);
    expect(exec.code, exec.stderr).toBe(0);
    return exec.stdout;
  };
  const anonymousVolume = async () => (await engine!.docker.getContainer(`${PROJECT}-scratch-1`).inspect()).Mounts.find((mount) => mount.Destination === '/data')!.Name!;
  const anonymous: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'cli.cjs'))) throw new Error('dist/ is missing: run `npm run build` first (the test command does)');
    dir = tempProject({ 'compose.yaml': COMPOSE, 'db_password.txt': 'hunter2\n', 'app.conf': 'answer=42\n', '.env': `API_TOKEN=${TOKEN}\n` }, 'secrets');
    await forceRemoveProject(engine!, PROJECT);
  });

  afterAll(async () => {
    if (!engine) return;
    await run('down', '-v', '-t', '0');
    await forceRemoveProject(engine, PROJECT);
    await Promise.allSettled(anonymous.map((name) => engine.docker.getVolume(name).remove({ force: true })));
  });

  it('the dry run mounts the files, writes the others before start, and prints no secret', async () => {
    const dryRun = await run('up', '--dry-run', '--format', 'json');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).not.toContain(TOKEN);
    const plan = JSON.parse(dryRun.stdout) as Plan;
    expect(plan.containers.find((container) => container.service === 'box')!.request.HostConfig.Mounts).toEqual([
      { Type: 'bind', Source: `${dir}/db_password.txt`, Target: '/run/secrets/db_password', ReadOnly: true },
      { Type: 'bind', Source: `${dir}/app.conf`, Target: '/etc/app/app.conf', ReadOnly: true },
    ]);
    expect(plan.operations.filter((operation) => operation.kind === 'CopyToContainer').map((operation) => operation.id)).toEqual([
      `copy-to-container:${PROJECT}-box-1:/run/secrets/api`,
      `copy-to-container:${PROJECT}-box-1:/motd`,
    ]);
    const table = await run('up', '--dry-run');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout + table.stderr).not.toContain(TOKEN);
  }, TIMEOUT_MS);

  it('inside, each is where compose puts it, with its text, owner and mode', async () => {
    const up = await run('up', '-d');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout + up.stderr).not.toContain(TOKEN);
    anonymous.push(await anonymousVolume());
    expect(await inside('cat', '/run/secrets/db_password')).toBe('hunter2\n');
    expect(await inside('cat', '/run/secrets/api')).toBe(TOKEN);
    expect(await inside('cat', '/etc/app/app.conf')).toBe('answer=42\n');
    expect(await inside('cat', '/motd')).toBe('hello from content');
    expect(await inside('stat', '-c', '%a %u %g', '/run/secrets/api', '/motd')).toBe('400 1000 1001\n444 0 0\n');
    // The files are mounted read-only.
    const write = await run('exec', '-T', 'box', 'sh', '-c', 'echo x > /run/secrets/db_password');
    expect(write.code).not.toBe(0);
  }, TIMEOUT_MS);

  it('a second up plans nothing: every container is kept', async () => {
    const dryRun = await run('up', '--dry-run', '--format', 'json');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const plan = JSON.parse(dryRun.stdout) as Plan;
    expect(plan.containers.map((container) => [container.service, container.action])).toEqual([['box', 'keep'], ['scratch', 'keep']]);
    expect(plan.operations).toEqual([]);
  }, TIMEOUT_MS);

  it('a recreate gives new anonymous volumes and removes the old container\'s', async () => {
    const old = await anonymousVolume();
    const up = await run('up', '-d', '--force-recreate', 'scratch');
    expect(up.code, up.stderr).toBe(0);
    const renewed = await anonymousVolume();
    anonymous.push(renewed);
    expect(renewed).not.toBe(old);
    await expect(engine!.docker.getVolume(old).inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, TIMEOUT_MS);

  it('down -v leaves nothing of the project', async () => {
    const last = await anonymousVolume();
    const down = await run('down', '-v', '-t', '0');
    expect(down.code, down.stderr).toBe(0);
    expect(await projectResources(engine!, PROJECT)).toEqual(NOTHING);
    await expect(engine!.docker.getVolume(last).inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, TIMEOUT_MS);
});
