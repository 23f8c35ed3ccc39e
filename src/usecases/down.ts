import { checkEngineCall } from '../arguments.js';
import type { EngineConnection } from '../engine/client.js';
import { EngineOperationRunner } from '../executor/operations.js';
import { ComposeFileNotFoundError } from '../errors.js';
import { load, type ComposeProject, type LoadOptions } from '../loader/index.js';
import { planDown, type DownOptions, type Plan } from '../planner/index.js';
import { observeProject, operationListener, type EngineOptions } from './session.js';
import { runOperations } from '../executor/run-operations.js';

export interface DownRunOptions extends LoadOptions, DownOptions, EngineOptions {
  /** A project already loaded (library use). */
  project?: ComposeProject;
}

/**
 * Plans `down` from one snapshot of the engine: what `down` runs, and what `down --dry-run` and
 * `plan --down` print. Works from labels alone when there is no compose file but a project name (-p).
 */
export async function downPlan(options: DownRunOptions = {}): Promise<{ plan: Plan; connection: EngineConnection }> {
  checkEngineCall(options, 'down');
  let model = options.project;
  if (!model) {
    try {
      model = load(options).project;
    } catch (error) {
      if (!(error instanceof ComposeFileNotFoundError && options.projectName)) throw error;
    }
  }
  return planProjectDown(model?.name ?? options.projectName!, model, options);
}

/**
 * Takes the project down: every container and network (and with removeVolumes, volume) carrying
 * the project's label, containers stopped in reverse dependency order; runs exactly downPlan's plan.
 */
export async function down(options: DownRunOptions = {}): Promise<Plan> {
  const { plan: planned, connection } = await downPlan(options);
  await runDown(planned, connection, options);
  return planned;
}

/** Takes down what carries the project's label; with a model, its services' containers in dependency order (without one, all of them, as orphans are). */
export async function downProject(name: string, model: ComposeProject | undefined, options: DownOptions & EngineOptions): Promise<Plan> {
  const { plan: planned, connection } = await planProjectDown(name, model, options);
  await runDown(planned, connection, options);
  return planned;
}

async function planProjectDown(name: string, model: ComposeProject | undefined, options: DownOptions & EngineOptions): Promise<{ plan: Plan; connection: EngineConnection }> {
  const { connection, observed } = await observeProject(name, options, { images: false });
  return { plan: planDown(name, observed, model, options), connection };
}

async function runDown(planned: Plan, connection: EngineConnection, options: EngineOptions): Promise<void> {
  options.signal?.throwIfAborted();
  await runOperations(planned.operations, new EngineOperationRunner(connection), { concurrency: options.concurrency, onEvent: operationListener(options), signal: options.signal });
}
