import type { EngineConnection } from '../engine/client.js';
import { observeEngine } from '../engine/observed-state.js';
import { EngineOperationRunner } from '../executor/operations.js';
import { runOperations } from '../executor/run-operations.js';
import type { ComposeProject } from '../loader/index.js';
import { planDown } from '../planner/index.js';
import { operationListener, type EngineOptions } from './session.js';

/** Stops the project's containers in reverse dependency order and leaves them in place (Ctrl-C of an attached `up`): the stops of `down`'s plan. */
export async function stop(project: ComposeProject, connection: EngineConnection, options: EngineOptions = {}): Promise<void> {
  const stops = planDown(project.name, await observeEngine(connection, project.name, { images: false }), project).operations.filter((operation) => operation.kind === 'StopContainer');
  await runOperations(stops, new EngineOperationRunner(connection), { concurrency: options.concurrency, onEvent: operationListener(options) });
}
