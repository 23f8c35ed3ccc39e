import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { attachedContainers } from '../../src/cli/attach.js';
import { checkAttach, UP_OPTIONS } from '../../src/cli/up.js';
import { NoSuchServiceError } from '../../src/errors.js';
import { load } from '../../src/loader/index.js';
import type { OperationEvent } from '../../src/executor/run-operations.js';
import type { Operation } from '../../src/planner/types.js';
import type { ProgressEvent } from '../../src/progress/events.js';
import { operationListener } from '../../src/usecases/session.js';
import { runCli } from '../helpers/cli.js';
import { tempProject } from '../helpers/fixtures.js';

const pull = { kind: 'PullImage', id: 'pull-image:busybox', resource: 'busybox', image: 'busybox', dependsOn: [], cause: 'missing' } as unknown as Operation;
const start = { kind: 'StartContainer', id: 'start-container:demo-a-1', resource: 'demo-a-1', container: 'demo-a-1', dependsOn: [], cause: 'created' } as unknown as Operation;

/** What one pull and one start report through onProgress and onEvent, with or without --quiet-pull. */
function reported(quietPull: boolean): { progress: string[]; events: string[] } {
  const progress: ProgressEvent[] = [];
  const events: OperationEvent[] = [];
  const listener = operationListener({ quietPull, onProgress: (event) => progress.push(event), onEvent: (event) => events.push(event) })!;
  listener({ type: 'started', operation: pull });
  listener({ type: 'progress', operation: pull, text: 'a1b2: Downloading 3MB/5MB', transient: true });
  listener({ type: 'failed', operation: pull, error: new Error('manifest unknown') });
  listener({ type: 'progress', operation: start, text: 'waiting for its network', transient: false });
  return { progress: progress.map((event) => `${event.id} ${event.status} ${event.text}${event.error ? `: ${event.error}` : ''}`), events: events.map((event) => `${event.operation.id} ${event.type}`) };
}

describe('up --quiet-pull', () => {
  it('is an option of up', () => {
    expect(parseArgs(['--quiet-pull'], UP_OPTIONS).options['quiet-pull']).toBe(true);
  });

  it("leaves out the pulls' progress lines, keeps their start and their failure", () => {
    expect(reported(true).progress).toEqual(['pull-image:busybox working Pulling', 'pull-image:busybox error Error: manifest unknown', 'start-container:demo-a-1 working waiting for its network']);
    expect(reported(true).events).toEqual(['pull-image:busybox started', 'pull-image:busybox failed', 'start-container:demo-a-1 progress']);
  });

  it('without it, every progress line is reported', () => {
    expect(reported(false).progress).toContain('pull-image:busybox working a1b2: Downloading 3MB/5MB');
  });
});

describe('up --attach and --no-attach', () => {
  const containers = [
    { name: 'demo-db-1', service: 'db' },
    { name: 'demo-a-1', service: 'a' },
    { name: 'demo-a-2', service: 'a' },
    { name: 'demo-b-1', service: 'b' },
  ];
  const names = (options: Parameters<typeof attachedContainers>[1]) => attachedContainers(containers, options).map((container) => container.name);
  const dir = tempProject({ 'compose.yaml': 'services:\n  db: {image: busybox}\n  a: {image: busybox, depends_on: [db]}\n  b: {image: busybox}\n' });
  const project = load({ workingDir: dir }).project;

  it('are repeatable options of up', () => {
    const { options } = parseArgs(['--attach', 'a', '--attach', 'db', '--no-attach', 'b'], UP_OPTIONS);
    expect(options.attach).toEqual(['a', 'db']);
    expect(options['no-attach']).toEqual(['b']);
  });

  it('follow every container without them', () => {
    expect(names({})).toEqual(['demo-db-1', 'demo-a-1', 'demo-a-2', 'demo-b-1']);
  });

  it("--attach follows only its services' containers, every replica", () => {
    expect(names({ attach: ['a'] })).toEqual(['demo-a-1', 'demo-a-2']);
    expect(names({ attach: ['a', 'b'] })).toEqual(['demo-a-1', 'demo-a-2', 'demo-b-1']);
  });

  it("--no-attach leaves its services' containers out, also of --attach's", () => {
    expect(names({ noAttach: ['b'] })).toEqual(['demo-db-1', 'demo-a-1', 'demo-a-2']);
    expect(names({ attach: ['a', 'b'], noAttach: ['b'] })).toEqual(['demo-a-1', 'demo-a-2']);
  });

  it('--attach takes the services up brings up: the named ones and their dependencies, unless --no-deps', () => {
    expect(() => checkAttach(project, ['a', 'db'], ['a'], false)).not.toThrow();
    expect(() => checkAttach(project, ['b'], [], false)).not.toThrow();
    expect(() => checkAttach(project, ['b'], ['a'], false)).toThrow(NoSuchServiceError);
    expect(() => checkAttach(project, ['b'], ['a'], false)).toThrow('cannot attach to services not included in up: b');
    expect(() => checkAttach(project, ['db'], ['a'], true)).toThrow('cannot attach to services not included in up: db');
    expect(() => checkAttach(project, ['nosuch'], [], false)).toThrow('cannot attach to services not included in up: nosuch');
  });

  it('a service outside the up is an error before anything starts; --attach with -d or --wait is a usage error', async () => {
    const outside = await runCli(['up', '--attach', 'b', 'a'], dir);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('cannot attach to services not included in up: b');
    for (const detached of ['-d', '--wait']) {
      const usage = await runCli(['up', detached, '--attach', 'a'], dir);
      expect(usage.code, detached).toBe(2);
      expect(usage.stderr).toContain('--attach need up in the foreground');
    }
  });
});
