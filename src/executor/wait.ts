import type { EngineConnection } from '../engine/client.js';
import { EngineOperationRunner } from '../engine/operation-runner.js';
import { TscomposeError } from '../errors.js';
import { OperationGraph } from '../planner/operation-graph.js';
import type { Plan } from '../planner/types.js';
import { runOperations, type OperationEvent } from './run-operations.js';

/** `--wait` ran out of time. */
export class WaitTimeoutError extends TscomposeError {}

export interface WaitOptions {
  connection: EngineConnection;
  timeoutSeconds?: number;
  onEvent?: (event: OperationEvent) => void;
}

/** Waits until every container of the plan is running, and healthy where it has a healthcheck. */
export async function waitUntilReady(plan: Plan, options: WaitOptions): Promise<void> {
  const graph = new OperationGraph();
  for (const container of plan.containers) {
    const test = container.request.Healthcheck?.Test;
    const healthcheck = test !== undefined && test[0] !== 'NONE';
    graph.add({ kind: 'WaitContainer', container: container.name, condition: healthcheck ? 'healthy' : 'running', cause: '--wait' });
  }
  const pending = new Set(plan.containers.map((container) => container.name));
  const signal = options.timeoutSeconds === undefined ? undefined : AbortSignal.timeout(options.timeoutSeconds * 1000);
  try {
    await runOperations(graph.operations, new EngineOperationRunner(options.connection), {
      concurrency: graph.operations.length,
      signal,
      onEvent: (event) => {
        if (event.type === 'done') pending.delete(event.operation.container!);
        options.onEvent?.(event);
      },
    });
  } catch (error) {
    if (signal?.aborted) {
      throw new WaitTimeoutError(`not ready after ${options.timeoutSeconds} s: ${[...pending].join(', ')}`, { hint: 'see tscompose ps and tscompose logs' });
    }
    throw error;
  }
}
