import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { UP_OPTIONS } from '../../src/cli/up.js';
import type { OperationEvent } from '../../src/executor/run-operations.js';
import type { Operation } from '../../src/planner/types.js';
import type { ProgressEvent } from '../../src/progress/events.js';
import { operationListener } from '../../src/usecases/session.js';

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
