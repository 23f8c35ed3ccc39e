import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL } from '../../src/planner/labels.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { ROOT, tempProject } from '../helpers/fixtures.js';

/**
 * A script written for `docker compose` v2, run against the built tscompose as a CI job runs it:
 * each command a process of its own, its output checked by the shapes compose documents (JSON
 * lines and their field names, `name | line` logs, `host:port`, exit codes).
 */

const engine = await engineForTests();
const BIN = join(ROOT, 'bin', 'tscompose');

const PROJECT = 'i14-compat';
/** Each test runs several processes one after the other, each loading Node and the bundle: more than the default on a busy 2-core machine. */
const SCRIPT_TIMEOUT_MS = 240_000;
const COMPOSE = `services:
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo web is up; exec httpd -f -p 80"]
    ports: ["127.0.0.1::80"]
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
    stop_grace_period: 2s
  worker:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo worker is up; trap 'echo worker stops; exit 0' TERM; while true; do sleep 0.2; done"]
    depends_on: [web]
`;

/** The fields every line of compose's `ps --format json` has. */
const PS_FIELDS = ['Command', 'CreatedAt', 'ExitCode', 'Health', 'ID', 'Image', 'Labels', 'LocalVolumes', 'Mounts', 'Name', 'Names', 'Networks', 'Ports', 'Project', 'Publishers', 'RunningFor', 'Service', 'Size', 'State', 'Status'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe.skipIf(!engine)('a docker compose v2 script, run against tscompose', () => {
  let dir: string;
  let environment: NodeJS.ProcessEnv;
  const run = (...args: string[]): Run => {
    const result = spawnSync(BIN, ['-p', PROJECT, ...args], { cwd: dir, env: environment, encoding: 'utf8', timeout: 120_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const psJson = (...args: string[]) => {
    const { code, stdout } = run('ps', '--format', 'json', ...args);
    expect(code).toBe(0);
    return stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  };

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'cli.cjs'))) throw new Error('dist/ is missing: run `npm run build` first (the test command does)');
    dir = tempProject({ 'compose.yaml': COMPOSE });
    // The engine is reached through a docker context, as on a developer's machine: DOCKER_CONTEXT names it, DOCKER_HOST is unset.
    const config = join(dir, '.docker');
    const id = createHash('sha256').update('compat').digest('hex');
    mkdirSync(join(config, 'contexts', 'meta', id), { recursive: true });
    writeFileSync(join(config, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: 'compat', Endpoints: { docker: { Host: `unix://${(engine!.address.options.socketPath as string | undefined) ?? '/var/run/docker.sock'}` } } }));
    environment = { ...process.env, DOCKER_HOST: '', DOCKER_CONFIG: config, DOCKER_CONTEXT: 'compat', NO_COLOR: '1', CI: 'true' };
    run('down', '-t', '0');
  });

  afterAll(() => {
    run('down', '-t', '0');
  });

  it('up -d --wait, ps --format json, logs -n, port, exec, down', () => {
    const up = run('up', '-d', '--wait');
    expect(up.stderr).not.toContain('error');
    expect(up.code).toBe(0);

    const containers = psJson();
    expect(containers.map((container) => container.Name)).toEqual([`${PROJECT}-web-1`, `${PROJECT}-worker-1`]);
    for (const container of containers) expect(Object.keys(container).sort()).toEqual(PS_FIELDS);
    const [web, worker] = containers as [Record<string, unknown>, Record<string, unknown>];
    expect(web).toMatchObject({ Service: 'web', Project: PROJECT, State: 'running', Health: 'healthy', ExitCode: 0, Image: TEST_IMAGE });
    expect(worker).toMatchObject({ Service: 'worker', State: 'running', Health: '', Publishers: [] });
    const [publisher] = web.Publishers as { URL: string; TargetPort: number; PublishedPort: number; Protocol: string }[];
    expect(publisher).toEqual({ URL: '127.0.0.1', TargetPort: 80, PublishedPort: expect.any(Number), Protocol: 'tcp' });
    expect(web.Ports).toBe(`127.0.0.1:${publisher!.PublishedPort}->80/tcp`);
    expect(web.ID).toMatch(/^[0-9a-f]{12}$/);
    expect(web.Status).toMatch(/^Up .*\(healthy\)$/);

    const logs = run('logs', '-n', '1', 'worker');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toBe('worker-1  | worker is up\n');
    expect(run('logs', '--no-log-prefix', 'web').stdout).toContain('web is up\n');

    const port = run('port', 'web', '80');
    expect(port.code).toBe(0);
    expect(port.stdout).toBe(`127.0.0.1:${publisher!.PublishedPort}\n`);
    const missing = run('port', 'nosuch', '80');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such service: nosuch');

    // exec as scripts use it: no terminal (-T), the command's exit code and streams are tscompose's, stdin passed through.
    const exec = run('exec', '-T', 'worker', 'sh', '-c', 'echo out; echo err >&2; exit 3');
    expect(exec.code).toBe(3);
    expect(exec.stdout).toBe('out\n');
    expect(exec.stderr).toBe('err\n');
    const piped = spawnSync(BIN, ['-p', PROJECT, 'exec', '-T', 'web', 'cat'], { cwd: dir, env: environment, encoding: 'utf8', input: 'seed\n', timeout: 120_000 });
    expect(piped.status).toBe(0);
    expect(piped.stdout).toBe('seed\n');
    expect(run('exec', '-T', 'nosuch', 'true').code).toBe(1);
    // exec has no dry run: with --dry-run it is refused, and the command does not run.
    expect(run('--dry-run', 'exec', '-T', 'web', 'touch', '/tmp/dry-run').code).toBe(2);
    expect(run('exec', '-T', 'web', 'test', '-e', '/tmp/dry-run').code).toBe(1);

    expect(run('ps', '-v').code).toBe(2);

    // The global --dry-run reaches a lifecycle command's own: stop's plan, nothing stopped.
    const dryStop = run('--dry-run', 'stop', '--format', 'json');
    expect(dryStop.code).toBe(0);
    expect(JSON.parse(dryStop.stdout).operations.map((operation: { kind: string }) => operation.kind)).toEqual(['StopContainer', 'StopContainer']);
    expect(psJson()).toHaveLength(2);

    // The global --dry-run, as compose takes it before the command: down's plan, nothing removed.
    const dryRun = run('--dry-run', 'down', '--format', 'json');
    expect(dryRun.code).toBe(0);
    expect(JSON.parse(dryRun.stdout).operations.map((operation: { kind: string }) => operation.kind)).toContain('RemoveContainer');
    expect(psJson()).toHaveLength(2);

    // COMPOSE_STATUS_STDOUT: progress on stdout, as compose puts it there.
    const down = spawnSync(BIN, ['-p', PROJECT, '--progress', 'plain', 'down'], { cwd: dir, env: { ...environment, COMPOSE_STATUS_STDOUT: '1' }, encoding: 'utf8', timeout: 120_000 });
    expect(down.status).toBe(0);
    expect(down.stdout).toContain(`Container ${PROJECT}-web-1  Removed`);
    expect(down.stderr).toBe('');
    expect(psJson('-a')).toEqual([]);
  }, SCRIPT_TIMEOUT_MS);

  it.each(['SIGTERM', 'SIGINT'] as const)('a foreground up under %s stops its containers, prints their exits, exits 0 and leaves nothing running', async (signal) => {
    const child = spawn(BIN, ['-p', PROJECT, '--progress', 'plain', 'up'], { cwd: dir, env: environment });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Bounded: the output shows both containers attached.
    const deadline = Date.now() + 60_000;
    while (!(stdout.includes('web is up') && stdout.includes('worker is up'))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`up did not attach: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill(signal);
    const code = await exited;
    expect(stderr).toContain('Gracefully stopping...');
    expect(code).toBe(0);
    expect(stdout).toContain('worker-1  | worker stops\n');
    expect(stdout).toContain('worker-1 exited with code 0\n');
    expect(stdout).toMatch(/\nweb-1 exited with code \d+\n/);
    expect(psJson()).toEqual([]);
    const stopped = psJson('-a');
    expect(stopped.map((container) => container.State)).toEqual(['exited', 'exited']);
    const labelled = await engine!.docker.listContainers({ filters: { label: [`${LABEL.project}=${PROJECT}`] } });
    expect(labelled).toEqual([]);
  }, SCRIPT_TIMEOUT_MS);

  it('up --exit-code-from: the first exit stops every container and up exits with that service\'s code, as CI test jobs use it', () => {
    const abortDir = tempProject({
      'compose.yaml': `services:
  server:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; echo serving; while true; do sleep 0.2; done"]
  tests:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo 2 tests failed; exit 3"]
    depends_on: [server]
`,
    });
    const runAbort = (...args: string[]) => spawnSync(BIN, ['-p', `${PROJECT}-abort`, '--progress', 'plain', ...args], { cwd: abortDir, env: environment, encoding: 'utf8', timeout: 120_000 });
    try {
      const result = runAbort('up', '--exit-code-from', 'tests', '--no-log-prefix');
      expect(result.stderr).toContain('Aborting on container exit...');
      expect(result.status).toBe(3);
      expect(result.stdout).toContain('2 tests failed\n');
      expect(result.stdout).toContain('tests-1 exited with code 3\n');
      expect(result.stdout).toContain('server-1 exited with code 0\n');
      const running = runAbort('ps', '-q');
      expect(running.stdout).toBe('');
      expect(runAbort('up', '--exit-code-from', 'nosuch').status).toBe(1);
      expect(runAbort('up', '-d', '--abort-on-container-exit').status).toBe(2);
    } finally {
      runAbort('down', '-t', '0');
    }
  }, SCRIPT_TIMEOUT_MS);
});
