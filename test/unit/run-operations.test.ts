import { describe, expect, it } from 'vitest';
import { OperationFailedError, runOperations, type OperationEvent, type OperationRunner } from '../../src/executor/run-operations.js';
import { OperationGraph } from '../../src/planner/operation-graph.js';
import type { Operation } from '../../src/planner/types.js';

/** A runner that takes `ms` per operation and records what was in flight; not an engine stand-in, a clock for the scheduler. */
class RecordingRunner implements OperationRunner {
  readonly order: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly listeners = new Set<() => void>();
  constructor(
    private readonly ms: number,
    private readonly failing = new Set<string>(),
    /** A condition an operation waits for before it ends, instead of its time. */
    private readonly gate: (id: string) => Promise<void> | undefined = () => undefined,
  ) {}
  async run(operation: Operation, signal: AbortSignal): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await (this.gate(operation.id) ?? new Promise((resolve) => setTimeout(resolve, operation.kind === 'WaitContainer' ? this.ms * 3 : this.ms)));
      signal.throwIfAborted();
      if (this.failing.has(operation.id)) throw new Error('engine said no');
      this.order.push(operation.id);
      for (const listener of this.listeners) listener();
    } finally {
      this.inFlight--;
    }
  }
  /** Resolves once `id` has run, or after `boundMs` at the latest. */
  recorded(id: string, boundMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), boundMs);
      const listener = (): void => void (this.order.includes(id) && done());
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve();
      };
      this.listeners.add(listener);
      listener();
    });
  }
}

/** The scheduler never reads a body: the test's operations carry none. */
const NO_BODY = {} as never;

function chain(): Operation[] {
  const graph = new OperationGraph();
  const network = graph.add({ kind: 'CreateNetwork', network: 'n', body: NO_BODY, cause: 'test' });
  for (let i = 0; i < 6; i++) {
    const created = graph.add({ kind: 'CreateContainer', container: `c${i}`, body: NO_BODY, cause: 'test', after: [network] });
    graph.add({ kind: 'StartContainer', container: `c${i}`, cause: 'test', after: [created] });
  }
  return graph.operations;
}

describe('running a DAG of operations', () => {
  it('runs each operation after its dependencies, independent ones at once up to the bound', async () => {
    const runner = new RecordingRunner(5);
    await runOperations(chain(), runner, { concurrency: 3 });
    expect(runner.order[0]).toBe('create-network:n');
    for (const op of chain()) for (const dependency of op.dependsOn) expect(runner.order.indexOf(dependency)).toBeLessThan(runner.order.indexOf(op.id));
    expect(runner.maxInFlight).toBe(3);
  });

  it('starts a container as soon as its own dependencies are done, not level by level', async () => {
    const graph = new OperationGraph();
    const slow = graph.add({ kind: 'WaitContainer', container: 'slow', condition: 'healthy', cause: 'test' });
    const fast = graph.add({ kind: 'CreateContainer', container: 'fast', body: NO_BODY, cause: 'test' });
    const startFast = graph.add({ kind: 'StartContainer', container: 'fast', cause: 'test', after: [fast] });
    graph.add({ kind: 'StartContainer', container: 'late', cause: 'test', after: [slow] });
    // The slow wait ends only once `fast` has started (or after a generous bound, which then fails the
    // order check): a scheduler that ran level by level would start `fast` after the wait, whatever the clock.
    const startFastId = graph.operations[startFast - 1]!.id;
    const runner: RecordingRunner = new RecordingRunner(1, new Set(), (id) => id === graph.operations[slow - 1]!.id ? runner.recorded(startFastId, 10_000) : undefined);
    await runOperations(graph.operations, runner);
    expect(runner.order.indexOf(startFastId)).toBeLessThan(runner.order.indexOf(graph.operations[slow - 1]!.id));
  });

  it('stops starting operations after a failure and throws it with the operation', async () => {
    const events: OperationEvent[] = [];
    const runner = new RecordingRunner(5, new Set(['create-container:c0']));
    const run = runOperations(chain(), runner, { concurrency: 1, onEvent: (event) => events.push(event) });
    await expect(run).rejects.toBeInstanceOf(OperationFailedError);
    await expect(run).rejects.toThrow('CreateContainer container c0 failed: engine said no');
    expect(runner.order).toEqual(['create-network:n']);
    expect(events.filter((event) => event.type === 'failed').map((event) => event.operation.id)).toEqual(['create-container:c0']);
  });

  it('starts nothing with a signal aborted before the call, and throws its reason', async () => {
    const runner = new RecordingRunner(5);
    const controller = new AbortController();
    controller.abort(new Error('not now'));
    await expect(runOperations(chain(), runner, { signal: controller.signal })).rejects.toThrow('not now');
    expect(runner.order).toEqual([]);
  });

  it('gives waits their own bound so that they do not hold up engine calls', async () => {
    const graph = new OperationGraph();
    for (let i = 0; i < 4; i++) graph.add({ kind: 'WaitContainer', container: `w${i}`, condition: 'running', cause: 'test' });
    graph.add({ kind: 'CreateContainer', container: 'c', body: NO_BODY, cause: 'test' });
    const runner = new RecordingRunner(10);
    await runOperations(graph.operations, runner, { concurrency: 1 });
    expect(runner.order[0]).toBe('create-container:c');
  });
});
