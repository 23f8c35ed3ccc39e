import { describe, expect, it } from 'vitest';
import { ServiceFailedError, WaitTimeoutError, withProgress, type ProgressEvent } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { engineForTests } from '../helpers/engine.js';
import { eventually } from '../helpers/exec.js';
import { fixtureProject } from '../helpers/project.js';

const engine = await engineForTests();

describe.skipIf(!engine)('up --wait', () => {
  const project = fixtureProject(engine, 'wait', 'tscompose-it-wait');
  const upWait = (...args: string[]) => runCli(['-p', project.name, '--progress', 'plain', 'up', '--wait', ...args], project.dir);

  it('returns 0 once every container is running, the healthchecked ones healthy and a one-shot dependency exited with 0', async () => {
    const { code, stderr } = await upWait('ready', 'plain', 'after-setup');
    expect(stderr).toContain(`Container ${project.container('ready')}  Healthy`);
    expect(stderr).toContain(`Container ${project.container('setup')}  Exited (0)`);
    // up waited for setup before starting after-setup; --wait does not announce it a second time.
    expect(stderr.split(`Container ${project.container('setup')}  Exited (0)`)).toHaveLength(2);
    expect(code).toBe(0);
    expect((await project.inspect('ready')).State.Health?.Status).toBe('healthy');
    expect((await project.inspect('plain')).State.Running).toBe(true);
    expect((await project.inspect('after-setup')).State.Running).toBe(true);
    expect((await project.inspect('setup')).State.ExitCode).toBe(0);
  });

  it('exits non-zero when --wait-timeout runs out, with the state, health log and logs of the container not ready', async () => {
    // The report shows the health log: wait until the engine has run a check, however loaded the
    // machine is, rather than hoping one runs within the 3 s.
    expect((await runCli(['-p', project.name, '--progress', 'plain', 'up', '-d', 'never'], project.dir)).code).toBe(0);
    await eventually(
      async () => {
        if (!(await project.inspect('never')).State.Health?.Log?.length) throw new Error(`no healthcheck of ${project.container('never')} has run yet`);
      },
      { timeoutMs: 60_000 },
    );
    const { code, stderr } = await upWait('--wait-timeout', '3', 'never');
    expect(code).toBe(1);
    expect(stderr).toContain(`not ready after 3 s: ${project.container('never')}`);
    expect(stderr).toContain(`service never (container ${project.container('never')}) is not healthy after 3 s`);
    expect(stderr).toContain('state: running, health starting');
    expect(stderr).toMatch(/health log \(last (check|\d checks), oldest first\):\n {6}\d\d:\d\d:\d\d {2}exit 1 {2}not yet\n/);
    expect(stderr).toContain('last log line:\n      | waiting for a check that never passes\n');
  });

  it('exits non-zero as soon as a service is unhealthy, with its health log and logs', async () => {
    const started = Date.now();
    const { code, stderr } = await upWait('--wait-timeout', '60', 'sick');
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(stderr).toContain(`service sick (container ${project.container('sick')}) is unhealthy (last check: probe says no)`);
    expect(stderr).toContain('error: service "sick" is unhealthy (last check: probe says no)');
    expect(stderr).toContain('state: running, health unhealthy');
    expect(stderr).toMatch(/exit 1 {2}probe says no/);
    expect(stderr).toContain('| sick is starting');
  });

  it('reports a container that exited with its exit code and the last 50 lines of its logs', async () => {
    const { code, stderr } = await upWait('broken');
    expect(code).toBe(1);
    expect(stderr).toContain(`service broken (container ${project.container('broken')}) exited with code 3 before it became healthy`);
    expect(stderr).toContain('error: service "broken" exited with code 3 before it became healthy');
    expect(stderr).toContain('state: exited (code 3)');
    expect(stderr).toContain('last 50 log lines:\n      | line 12\n');
    expect(stderr).not.toContain('| line 11\n');
    expect(stderr).toContain('| line 60\n      | cannot open /data: no such file\n');
  });

  it('fails at once when a container that was running exits while others are still awaited, naming it', async () => {
    const { code, stderr } = await upWait('--wait-timeout', '60', 'crash', 'slow-ok');
    expect(code).toBe(1);
    expect(stderr).toContain('error: service "crash" exited with code 3');
    expect(stderr).toContain(`service crash (container ${project.container('crash')}) exited with code 3`);
    expect(stderr).toContain('| crash is up');
  });

  it('with --progress json, every line of stderr is a JSON event, the report inside the Error one', async () => {
    const { code, stderr } = await runCli(['-p', project.name, '--progress', 'json', 'up', '--wait', 'broken'], project.dir);
    expect(code).toBe(1);
    const events = stderr.trim().split('\n').map((line) => JSON.parse(line) as ProgressEvent);
    const failure = events.at(-1)!;
    expect(failure).toMatchObject({ kind: 'Error', status: 'error', text: 'Error', error: 'service "broken" exited with code 3 before it became healthy' });
    expect(failure.containers).toEqual([expect.objectContaining({ service: 'broken', status: 'exited', exitCode: 3, logs: expect.arrayContaining(['line 60']) })]);
  });

  it('reports a dependency that fails while up waits for it, before its dependents start', async () => {
    const { code, stderr } = await upWait('after-sick');
    expect(code).toBe(1);
    expect(stderr).toContain('error: service "sick" is unhealthy');
    expect(stderr).toContain(`service sick (container ${project.container('sick')}) is unhealthy`);
    expect((await project.inspect('after-sick')).State.Status).toBe('created');
  });

  it('counts the time a dependency takes against --wait-timeout', async () => {
    const { code, stderr } = await upWait('--wait-timeout', '2', 'after-never');
    expect(code).toBe(1);
    expect(stderr).toContain(`not ready after 2 s: ${project.container('never')}`);
    expect(stderr).toContain(`service never (container ${project.container('never')}) is not healthy after 2 s`);
  });

  it('throws typed errors carrying the reports to library callers', async () => {
    const failed = await project.up({ services: ['broken'], wait: true }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ServiceFailedError);
    const [report] = (failed as ServiceFailedError).containers;
    expect(report).toMatchObject({ service: 'broken', container: project.container('broken'), reason: 'exited with code 3 before it became healthy', status: 'exited', exitCode: 3 });
    expect(report!.logs).toHaveLength(50);
    expect(report!.logs.at(-1)).toBe('cannot open /data: no such file');

    const timedOut = await project.up({ services: ['never'], wait: true, waitTimeout: 1 }).catch((error: unknown) => error);
    expect(timedOut).toBeInstanceOf(WaitTimeoutError);
    expect((timedOut as WaitTimeoutError).containers[0]).toMatchObject({ service: 'never', status: 'running', health: 'starting' });
  });

  it('hands out progress as an async iterator', async () => {
    const { events, result } = withProgress((onProgress) => project.up({ services: ['ready'], wait: true, onProgress }));
    const seen: ProgressEvent[] = [];
    for await (const event of events) seen.push(event);
    await result;
    expect(seen.at(-1)).toMatchObject({ resource: `container:${project.container('ready')}`, kind: 'WaitContainer', status: 'done', text: 'Healthy' });
  });
});
