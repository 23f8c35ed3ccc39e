import type { EngineConnection } from '../engine/client.js';
import { observeEngine } from '../engine/observed-state.js';
import { EngineOperationRunner } from '../executor/operations.js';
import { runOperations } from '../executor/run-operations.js';
import type { ComposeProject } from '../loader/index.js';
import { planDown } from '../planner/index.js';
import { operationListener, type EngineOptions } from './session.js';

export interface StopOptions extends EngineOptions {
  /** Only these containers (by name); all of the project's by default. */
  containers?: readonly string[];
  /** Seconds each container has to stop before it is killed (0: at once); default its stop_grace_period. */
  timeout?: number;
}

/** Stops the project's containers in reverse dependency order and leaves them in place (Ctrl-C of an attached `up`): the stops of `down`'s plan. */
export async function stop(project: ComposeProject, connection: EngineConnection, options: StopOptions = {}): Promise<void> {
  const downPlan = planDown(project.name, await observeEngine(connection, project.name, { images: false }), project, options.timeout === undefined ? {} : { timeout: options.timeout });
  const selected = options.containers && new Set(options.containers);
  const stops = downPlan.operations.filter((operation) => operation.kind === 'StopContainer' && (!selected || selected.has(operation.container)));
  await runOperations(stops, new EngineOperationRunner(connection), { concurrency: options.concurrency, onEvent: operationListener(options) });
}
