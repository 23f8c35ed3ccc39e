import type { EngineConnection } from '../engine/client.js';
import { EngineUnavailableError } from '../engine/address.js';
import type { ComposeProject, LoadOptions, LoaderWarning } from '../loader/index.js';
import { imagesNeedingAge, plan, type ObservedState, type Plan, type PlanOptions } from '../planner/index.js';
import { heldHostPortConflicts } from './preflight.js';
import { connectOrReuse, type EngineOptions } from './session.js';
import { observeEngine } from '../engine/observed-state.js';
import { loadProject } from './target.js';

export interface PlanUpOptions extends LoadOptions, PlanOptions, Pick<EngineOptions, 'connection'> {
  /** A project already loaded (library use); otherwise it is loaded with the LoadOptions. */
  project?: ComposeProject;
  /** Without a reachable engine, plan from empty state (and say so in `note`) instead of failing: what `plan` and `--dry-run` do. */
  engineOptional?: boolean;
}

export interface UpPlanning {
  project: ComposeProject;
  warnings: LoaderWarning[];
  plan: Plan;
  /** The engine the plan was made against; absent when it was planned from empty state. */
  connection?: EngineConnection;
  /** The one snapshot of the engine the plan compares with. */
  observed?: ObservedState;
  /** Why the plan was made from empty state. */
  note?: string;
}

/**
 * The one planning function of `up`, used by `plan`, `up --dry-run`, `up` and the library: load,
 * one snapshot of the engine, plan (images, networks, volumes, containers, operations), and on a
 * local engine the host ports that processes outside Docker hold, as conflicts of the plan.
 */
export async function planUp(options: PlanUpOptions = {}): Promise<UpPlanning> {
  const { project, warnings } = loadProject(options);
  let connection: EngineConnection | undefined;
  let observed: ObservedState | undefined;
  try {
    connection = await connectOrReuse(options);
    observed = await observeEngine(connection, project.name, { imagesNeedingAge: imagesNeedingAge(project) });
  } catch (error) {
    if (!(options.engineOptional && error instanceof EngineUnavailableError)) throw error;
    const planned = plan(project, undefined, options);
    return { project, warnings, plan: planned, note: `${error.message}; planning from empty state` };
  }
  const planned = plan(project, observed, options);
  const conflicts = planned.conflicts.length > 0 ? [] : await heldHostPortConflicts(planned, observed, connection);
  // A plan with conflicts has no operations: nothing of it may run.
  const result = conflicts.length > 0 ? { ...planned, conflicts, operations: [] } : planned;
  return { project, warnings, plan: result, connection, observed };
}
