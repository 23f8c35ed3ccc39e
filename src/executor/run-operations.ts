import { TscomposeError } from '../errors.js';
import type { Operation } from '../planner/types.js';

/** What an operation tells while it runs: a build's output line, or a pull's byte count (`transient`: the next one replaces it). */
export type OperationProgress = (text: string, transient: boolean) => void;

/** Carries out one operation: one Engine API call (or, for waits, the polling of one). */
export interface OperationRunner {
  run(operation: Operation, signal: AbortSignal, progress: OperationProgress): Promise<void>;
}

export type OperationEvent =
  | { type: 'started'; operation: Operation }
  | { type: 'progress'; operation: Operation; text: string; transient: boolean }
  | { type: 'done'; operation: Operation; seconds: number }
  | { type: 'failed'; operation: Operation; error: Error };

export interface RunOptions {
  /** Operations in flight at once. */
  concurrency?: number;
  onEvent?: (event: OperationEvent) => void;
  signal?: AbortSignal;
}

/** An operation the engine refused, with the engine's own message. */
export class OperationFailedError extends TscomposeError {
  constructor(
    readonly operation: Operation,
    cause: Error,
  ) {
    super(`${describeOperation(operation)} failed: ${cause.message}`, { cause, hint: (cause as TscomposeError).hint });
  }
}

export function describeOperation(operation: Operation): string {
  const target = 'network' in operation && 'container' in operation ? `${operation.container} to network ${operation.network}` : operation.resource.replace(':', ' ');
  return `${operation.kind} ${target}`;
}

/**
 * Runs a DAG of operations, each as soon as every operation it depends on is done, at most
 * `concurrency` at once. On the first failure nothing new starts; the ones in flight finish,
 * then the failure is thrown. Knows nothing about compose: only operations and their order.
 */
export async function runOperations(operations: readonly Operation[], runner: OperationRunner, options: RunOptions = {}): Promise<void> {
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  const byId = new Map(operations.map((operation) => [operation.id, operation]));
  for (const operation of operations) {
    waitingOn.set(operation.id, operation.dependsOn.length);
    for (const dependency of operation.dependsOn) {
      const list = dependents.get(dependency);
      if (list) list.push(operation.id);
      else dependents.set(dependency, [operation.id]);
    }
  }
  const priority = criticalPathLengths(operations, dependents);
  const ready = operations.filter((operation) => operation.dependsOn.length === 0).map((operation) => operation.id);
  const controller = new AbortController();
  // A signal aborted already fires no event: nothing starts then.
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', () => controller.abort(options.signal!.reason), { once: true });
  let running = 0;
  let waiting = 0;
  let failure: Error | undefined;

  await new Promise<void>((resolve) => {
    // Stops and waits spend their time waiting (grace periods, health checks), not keeping the engine busy: they get their own, larger bound.
    const isWaiting = (id: string) => WAITING_KINDS.has(byId.get(id)!.kind);
    // Of the operations that may run now, the one with the longest chain of work behind it goes first.
    const nextReady = (): string | undefined => {
      let best = -1;
      for (let index = 0; index < ready.length; index++) {
        const id = ready[index]!;
        const allowed = isWaiting(id) ? waiting < WAITING_CONCURRENCY : running - waiting < concurrency;
        if (allowed && (best < 0 || priority.get(id)! > priority.get(ready[best]!)!)) best = index;
      }
      return best < 0 ? undefined : ready.splice(best, 1)[0];
    };
    const pump = () => {
      for (let id = nextReady(); !failure && !controller.signal.aborted && id !== undefined; id = nextReady()) {
        const operation = byId.get(id)!;
        const waits = WAITING_KINDS.has(operation.kind);
        running++;
        if (waits) waiting++;
        const started = performance.now();
        options.onEvent?.({ type: 'started', operation });
        const progress: OperationProgress = (text, transient) => options.onEvent?.({ type: 'progress', operation, text, transient });
        runner.run(operation, controller.signal, progress).then(
          () => {
            running--;
            if (waits) waiting--;
            options.onEvent?.({ type: 'done', operation, seconds: (performance.now() - started) / 1000 });
            for (const next of dependents.get(operation.id) ?? []) {
              const left = waitingOn.get(next)! - 1;
              waitingOn.set(next, left);
              if (left === 0) ready.push(next);
            }
            pump();
          },
          (error: unknown) => {
            running--;
            if (waits) waiting--;
            const cause = error instanceof Error ? error : new Error(String(error));
            options.onEvent?.({ type: 'failed', operation, error: cause });
            // After the caller's abort, a call it cut short is not a failure of its own: the abort's reason is thrown.
            if (!failure && !controller.signal.aborted) {
              failure = error instanceof TscomposeError ? error : new OperationFailedError(operation, cause);
              // Waits on other containers would never end now; in-flight calls finish on their own.
              controller.abort(failure);
            }
            pump();
          },
        );
      }
      if (running === 0) resolve();
    };
    pump();
  });
  if (failure) throw failure;
  if (controller.signal.aborted) throw controller.signal.reason instanceof Error ? controller.signal.reason : new TscomposeError('interrupted');
}

/** For each operation, the number of operations on the longest chain that starts with it (operations are listed in dependency order). */
function criticalPathLengths(operations: readonly Operation[], dependents: Map<string, string[]>): Map<string, number> {
  const lengths = new Map<string, number>();
  for (let index = operations.length - 1; index >= 0; index--) {
    const id = operations[index]!.id;
    lengths.set(id, 1 + Math.max(0, ...(dependents.get(id) ?? []).map((next) => lengths.get(next) ?? 0)));
  }
  return lengths;
}

const WAITING_KINDS = new Set(['StopContainer', 'WaitContainer']);
/** Stops and waits at once, as compose's own parallel limit. */
const WAITING_CONCURRENCY = 64;

/** Concurrent Engine API calls; tuned with bench/engine.mjs (see docs/benchmarks.md). COMPOSE_PARALLEL_LIMIT overrides it, as for compose. */
export const DEFAULT_CONCURRENCY = Number(process.env.COMPOSE_PARALLEL_LIMIT) > 0 ? Number(process.env.COMPOSE_PARALLEL_LIMIT) : 8;
