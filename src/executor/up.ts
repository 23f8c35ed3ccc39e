import type { EngineConnection } from '../engine/client.js';
import { explainAddressPoolExhaustion } from '../engine/address-pools.js';
import { EngineOperationRunner } from '../engine/operation-runner.js';
import { load, type ComposeProject, type LoadOptions, type LoaderWarning } from '../loader/index.js';
import { plan, type Plan, type PlanOptions } from '../planner/index.js';
import { checkHostPorts } from './preflight.js';
import { observeProject, PlanConflictError, type EngineOptions } from './project-session.js';
import { runOperations } from './run-operations.js';

export interface UpOptions extends LoadOptions, PlanOptions, EngineOptions {
  /** A project already loaded (library use); otherwise it is loaded with the LoadOptions. */
  project?: ComposeProject;
}

export interface UpResult {
  project: ComposeProject;
  connection: EngineConnection;
  plan: Plan;
  warnings: LoaderWarning[];
}

/**
 * Brings the project up: load, one snapshot of the engine, plan, check host ports, then run
 * every operation as soon as its dependencies are done. Conflicts stop it before anything is
 * created; a failure half-way leaves only resources that carry the project's labels.
 */
export async function up(options: UpOptions = {}): Promise<UpResult> {
  const { project, warnings } = options.project ? { project: options.project, warnings: [] } : load(options);
  const { connection, observed } = await observeProject(project.name, options);
  const planned = plan(project, observed, options);
  if (planned.conflicts.length > 0) throw new PlanConflictError(planned.conflicts);
  await checkHostPorts(planned, observed, connection);
  try {
    await runOperations(planned.operations, new EngineOperationRunner(connection), { concurrency: options.concurrency, onEvent: options.onEvent });
  } catch (error) {
    throw explainAddressPoolExhaustion(error, observed.networks) ?? error;
  }
  return { project, connection, plan: planned, warnings };
}
