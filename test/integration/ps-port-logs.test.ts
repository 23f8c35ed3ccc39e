import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL } from '../../src/planner/labels.js';
import { runCli } from '../helpers/cli.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { tempProject } from '../helpers/fixtures.js';

const engine = await engineForTests();

const PROJECT = 'tscompose-pslogs';
const WEB = `${PROJECT}-web-1`;
const JOB = `${PROJECT}-job-1`;
/** A `run` container of the project: ps and logs leave one-offs out. */
const ONEOFF = `${PROJECT}-web-run-0123456789ab`;
/** Another project with the same service name, and a name that starts like ours. */
const DECOY = `${PROJECT}-decoy-web-1`;
const CONTAINERS = [WEB, JOB, ONEOFF, DECOY];

const COMPOSE = `name: ${PROJECT}
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo hello-out; echo hello-err >&2; exec httpd -f -p 80"]
    ports: ["127.0.0.1::80"]
  job:
    image: ${TEST_IMAGE}
    command: ["echo", "job-done"]
`;

function composeLabels(project: string, service: string, oneoff = false): Record<string, string> {
  return { [LABEL.project]: project, [LABEL.service]: service, [LABEL.containerNumber]: '1', [LABEL.oneoff]: oneoff ? 'True' : 'False' };
}

/** Removes what an earlier, interrupted run may have left, and what this run made. */
async function removeTestContainers(): Promise<void> {
  const { docker } = engine!;
  for (const name of CONTAINERS) {
    await docker
      .getContainer(name)
      .remove({ force: true })
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 404) throw error;
      });
  }
}

/** Retries `attempt` until it resolves, for a server that is still starting. */
async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe.skipIf(!engine)('ps, port and logs against the provisioned engine', () => {
  const ids: Record<string, string> = {};
  let dir: string;
  let hostPort: number;

  beforeAll(async () => {
    const { docker } = engine!;
    await removeTestContainers();
    dir = tempProject({ 'compose.yaml': COMPOSE });
    const web = await docker.createContainer({
      name: WEB,
      Image: TEST_IMAGE,
      Cmd: ['sh', '-c', 'echo hello-out; echo hello-err >&2; exec httpd -f -p 80'],
      Labels: composeLabels(PROJECT, 'web'),
      ExposedPorts: { '80/tcp': {} },
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    });
    const job = await docker.createContainer({ name: JOB, Image: TEST_IMAGE, Cmd: ['echo', 'job-done'], Labels: composeLabels(PROJECT, 'job'), HostConfig: { NetworkMode: 'none' } });
    const oneoff = await docker.createContainer({ name: ONEOFF, Image: TEST_IMAGE, Cmd: ['sh', '-c', 'echo oneoff-out; exec sleep 300'], Labels: composeLabels(PROJECT, 'web', true), HostConfig: { NetworkMode: 'none' } });
    const decoy = await docker.createContainer({ name: DECOY, Image: TEST_IMAGE, Cmd: ['sh', '-c', 'echo decoy-out; exec sleep 300'], Labels: composeLabels(`${PROJECT}-decoy`, 'web'), HostConfig: { NetworkMode: 'none' } });
    for (const container of [web, job, oneoff, decoy]) await container.start();
    await job.wait();
    Object.assign(ids, { [WEB]: web.id, [JOB]: job.id, [ONEOFF]: oneoff.id, [DECOY]: decoy.id });
    const details = await web.inspect();
    hostPort = Number(details.NetworkSettings.Ports['80/tcp']![0]!.HostPort);
    // Both lines are in the log before any test reads it.
    await eventually(async () => {
      const log = ((await web.logs({ stdout: true, stderr: true, follow: false })) as Buffer).toString();
      if (!log.includes('hello-err')) throw new Error('web has not written its lines yet');
    });
  }, 60_000);

  afterAll(async () => {
    await removeTestContainers();
  }, 60_000);

  it('ps shows the running service container only, with its published port', async () => {
    const { code, stdout, stderr } = await runCli(['ps'], dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [header, ...rows] = lines(stdout);
    expect(header).toMatch(/^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(new RegExp(`^${WEB}\\s+${TEST_IMAGE}\\s+"sh -c 'echo hello-o…"\\s+web\\s+.+ ago\\s+Up .+\\s+127\\.0\\.0\\.1:${hostPort}->80/tcp$`));
    expect(stdout).not.toContain('decoy');
  });

  it('ps -a adds the stopped container, still without the one-off and the decoy', async () => {
    const { code, stdout } = await runCli(['ps', '-a'], dir);
    expect(code).toBe(0);
    const rows = lines(stdout).slice(1);
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual([JOB, WEB]);
    expect(rows[0]).toMatch(/\bjob\s+.+ ago\s+Exited \(0\)/);
    expect(stdout).not.toContain('decoy');
    expect(stdout).not.toContain('run-');
  });

  it('ps --format json prints one JSON line per container with compose\'s field names', async () => {
    const { code, stdout } = await runCli(['ps', '-a', '--format', 'json'], dir);
    expect(code).toBe(0);
    const containers = lines(stdout).map((line) => JSON.parse(line));
    expect(containers).toHaveLength(2);
    expect(containers[0]).toMatchObject({ ID: ids[JOB]!.slice(0, 12), Name: JOB, Service: 'job', Project: PROJECT, State: 'exited', ExitCode: 0, Health: '', Image: TEST_IMAGE, Command: '"echo job-done"', Publishers: [] });
    expect(containers[1]).toMatchObject({
      Name: WEB,
      Service: 'web',
      State: 'running',
      ExitCode: 0,
      Publishers: [{ URL: '127.0.0.1', TargetPort: 80, PublishedPort: hostPort, Protocol: 'tcp' }],
      Ports: `127.0.0.1:${hostPort}->80/tcp`,
    });
    expect(containers[1].Status).toMatch(/^Up /);
    expect(containers[1].Networks).toBe('bridge');
    expect((await runCli(['ps', '--format', 'json', '--no-trunc'], dir)).stdout).toContain(`"ID":"${ids[WEB]}"`);
  });

  it('ps --services, --status, --filter and templates select and shape what is printed', async () => {
    expect((await runCli(['ps', '--services'], dir)).stdout).toBe('web\n');
    expect((await runCli(['ps', '-a', '--services'], dir)).stdout).toBe('job\nweb\n');
    expect((await runCli(['ps', '--status', 'exited', '--format', '{{.Name}} {{.ExitCode}}'], dir)).stdout).toBe(`${JOB} 0\n`);
    expect((await runCli(['ps', '--filter', 'status=running', '-q'], dir)).stdout).toBe(`${ids[WEB]}\n`);
    const bad = await runCli(['ps', '--filter', 'name=web'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown filter name');
    expect((await runCli(['ps', '-v'], dir)).code).toBe(2);
  });

  it('ps -q prints ids; service names filter', async () => {
    expect((await runCli(['ps', '-q'], dir)).stdout).toBe(`${ids[WEB]}\n`);
    expect(lines((await runCli(['ps', '-aq'], dir)).stdout)).toEqual([ids[JOB], ids[WEB]]);
    expect((await runCli(['ps', '-a', '-q', 'job'], dir)).stdout).toBe(`${ids[JOB]}\n`);
    expect((await runCli(['ps', '-q', 'job'], dir)).stdout).toBe('');
  });

  it('ps with a service the project does not have fails with a suggestion', async () => {
    const { code, stderr } = await runCli(['ps', 'wbe'], dir);
    expect(code).toBe(1);
    expect(stderr).toContain('no such service: wbe');
    expect(stderr).toContain('did you mean "web"?');
  });

  it('port prints the random host port, and the server answers there', async () => {
    const { code, stdout, stderr } = await runCli(['port', 'web', '80'], dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`127.0.0.1:${hostPort}\n`);
    // httpd serves 404 for / without files: any HTTP answer proves the port leads to it.
    const response = await eventually(() => fetch(`http://${stdout.trim()}/`));
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect((await runCli(['port', '--protocol', 'tcp', '--index', '1', 'web', '80/tcp'], dir)).stdout).toBe(`127.0.0.1:${hostPort}\n`);
  });

  it('port explains a port that is not published, a stopped service, a missing replica and an unknown service', async () => {
    const unpublished = await runCli(['port', 'web', '81'], dir);
    expect(unpublished.code).toBe(1);
    expect(unpublished.stderr).toContain(`port 81/tcp of ${WEB} is not published`);
    expect(unpublished.stderr).toContain('hint: published: 80/tcp');
    expect((await runCli(['port', 'web', '80/udp'], dir)).stderr).toContain('port 80/udp');

    const stopped = await runCli(['port', 'job', '80'], dir);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('service "job" has no running container');
    expect(stopped.stderr).toContain('hint: start it with: tscompose up -d job');

    const replica = await runCli(['port', '--index', '2', 'web', '80'], dir);
    expect(replica.code).toBe(1);
    expect(replica.stderr).toContain('service "web" has no running container number 2');
    expect(replica.stderr).toContain('hint: running replicas: 1');

    const unknown = await runCli(['port', 'db', '80'], dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no such service: db');
    expect(unknown.stderr).toContain('hint: did you mean "web"?');

    expect((await runCli(['port', 'web'], dir)).code).toBe(2);
    expect((await runCli(['port', 'web', '80/tcp', '--protocol', 'udp'], dir)).code).toBe(2);
  });

  it('logs prints stdout and stderr of every service container, prefixed with its name', async () => {
    const { code, stdout, stderr } = await runCli(['logs'], dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(lines(stdout).sort()).toEqual(['job-1  | job-done', 'web-1  | hello-err', 'web-1  | hello-out']);
  });

  it('logs --tail 1 web prints one line, of web only', async () => {
    const { code, stdout } = await runCli(['logs', '--tail', '1', 'web'], dir);
    expect(code).toBe(0);
    // The engine copies stdout and stderr to the log separately: either line may be the last.
    expect(stdout).toMatch(/^web-1 {2}\| hello-(out|err)\n$/);
  });

  it('logs --timestamps starts each line with the time it was written', async () => {
    const { stdout } = await runCli(['logs', '-t', 'job'], dir);
    expect(stdout).toMatch(/^job-1 {2}\| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z job-done\n$/);
  });

  it('logs takes compose\'s options: -n, --no-log-prefix, --no-color, --since, --until, --index', async () => {
    expect((await runCli(['logs', '-n', '1', 'job'], dir)).stdout).toBe('job-1  | job-done\n');
    expect((await runCli(['logs', '--no-log-prefix', '--no-color', 'job'], dir)).stdout).toBe('job-done\n');
    expect((await runCli(['logs', '--index', '1', 'job'], dir)).stdout).toBe('job-1  | job-done\n');
    expect((await runCli(['logs', '--index', '2', 'job'], dir)).stdout).toBe('');
    // Everything was written in the last hour, and nothing in the future.
    expect((await runCli(['logs', '--since', '1h', 'job'], dir)).stdout).toBe('job-1  | job-done\n');
    expect((await runCli(['logs', '--until', '1h', 'job'], dir)).stdout).toBe('');
    expect((await runCli(['logs', '--since', '2099-01-01T00:00:00Z', 'job'], dir)).stdout).toBe('');
    const bad = await runCli(['logs', '--since', 'yesterday'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since takes a time');
  });

  it('logs, port and ps work from the labels alone with -p and no compose file', async () => {
    const empty = tempProject({});
    expect((await runCli(['-p', PROJECT, 'logs', 'job'], empty)).stdout).toBe('job-1  | job-done\n');
    expect((await runCli(['-p', PROJECT, 'port', 'web', '80'], empty)).stdout).toBe(`127.0.0.1:${hostPort}\n`);
    expect((await runCli(['-p', PROJECT, 'ps', '--services'], empty)).stdout).toBe('web\n');
    const none = await runCli(['-p', PROJECT, 'port', 'db', '80'], empty);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('service "db" has no running container');
  });

  it('logs --follow ends by itself when the followed containers have stopped', async () => {
    const { code, stdout } = await runCli(['logs', '--follow', 'job'], dir);
    expect(code).toBe(0);
    expect(stdout).toBe('job-1  | job-done\n');
  });

  it('logs --follow on a running container ends cleanly on Ctrl-C', async () => {
    const listeners = process.listenerCount('SIGINT');
    const following = runCli(['logs', '--follow', 'web'], dir);
    // logs listens for Ctrl-C once its follow requests are open.
    await eventually(async () => {
      if (process.listenerCount('SIGINT') === listeners) throw new Error('logs is not following yet');
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    process.emit('SIGINT', 'SIGINT');
    const { code, stdout } = await following;
    expect(code).toBe(0);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
    for (const line of lines(stdout)) expect(line).toMatch(/^web-1 {2}\| hello-(out|err)$/);
  });
});
