import type { EngineConnection } from '../engine/client.js';
import { EngineOperationRunner } from '../executor/operations.js';
import { ComposeFileNotFoundError } from '../errors.js';
import { load, type ComposeProject, type LoadOptions } from '../loader/index.js';
import { planDown, type DownOptions, type Plan } from '../planner/index.js';
import { connectOrReuse, lockFor, observeProject, operationListener, type EngineOptions } from './session.js';
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
  const { model, name } = downTarget(options);
  const { connection, observed } = await observeProject(name, options, { images: false });
  return { plan: planDown(name, observed, model, options), connection };
}

/** The project down acts on: the loaded model, else the name (-p) alone. */
function downTarget(options: DownRunOptions): { model?: ComposeProject; name: string } {
  if (options.project) return { model: options.project, name: options.project.name };
  try {
    const model = load(options).project;
    return { model, name: model.name };
  } catch (error) {
    if (!(error instanceof ComposeFileNotFoundError && options.projectName)) throw error;
    return { name: options.projectName };
  }
}

/**
 * Takes the project down: every container and network (and with removeVolumes, volume) carrying
 * the project's label, containers stopped in reverse dependency order; runs exactly downPlan's plan.
 */
export async function down(options: DownRunOptions = {}): Promise<Plan> {
  const { model, name } = downTarget(options);
  const connection = await connectOrReuse(options);
  // An up of the same project finishes first: down then removes what it made, not half of it.
  const lock = await lockFor(connection, name, 'down', options);
  try {
    const { plan: planned } = await downPlan({ ...options, connection, ...(model ? { project: model } : {}) });
    await runOperations(planned.operations, new EngineOperationRunner(connection), { concurrency: options.concurrency, onEvent: operationListener(options) });
    return planned;
  } finally {
    await lock.release();
  }
}
