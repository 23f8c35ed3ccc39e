import type { EngineConnection } from '../engine/client.js';
import { observeEngine } from '../engine/observed-state.js';
import { EngineOperationRunner } from '../executor/operations.js';
import { runOperations } from '../executor/run-operations.js';
import type { ComposeProject, LoadOptions, LoaderWarning } from '../loader/index.js';
import { LABEL } from '../planner/labels.js';
import { planLifecycle, type LifecycleCommand, type LifecycleOptions, type Plan } from '../planner/index.js';
import { connectOrReuse, operationListener, type EngineOptions } from './session.js';
import { loadProjectOrName, requireServices } from './target.js';
import { NoSuchServiceError } from '../errors.js';

export interface LifecycleRunOptions extends LoadOptions, LifecycleOptions, EngineOptions {
  /** A project already loaded (library use). */
  project?: ComposeProject;
  /** Called with the plan before anything runs (rm asks the user here); false: nothing runs. */
  confirm?: (plan: Plan) => boolean | Promise<boolean>;
}

export interface LifecyclePlanning {
  plan: Plan;
  connection: EngineConnection;
  warnings: LoaderWarning[];
}

/**
 * The one planning function of start, stop, restart, kill, pause, unpause and rm, which their
 * `--dry-run` prints and their real run runs: load (or only the project name with -p and no
 * file), one snapshot of the engine, the plan of the project's labelled containers.
 */
export async function planLifecycleCommand(command: LifecycleCommand, options: LifecycleRunOptions = {}): Promise<LifecyclePlanning> {
  const target = loadProjectOrName(options);
  const services = options.services ?? [];
  if (target.project) requireServices(target.project, services);
  const connection = await connectOrReuse(options);
  const observed = await observeEngine(connection, target.name, { images: false });
  if (!target.project) requireLabelledServices(target.name, observed.containers, services);
  return { plan: planLifecycle(command, target.name, observed, target.project, options), connection, warnings: target.warnings };
}

/** Plans the command (as its dry run shows) and runs the plan's operations; returns the plan, `ran: false` when `confirm` declined it. */
export async function runLifecycle(command: LifecycleCommand, options: LifecycleRunOptions = {}): Promise<{ plan: Plan; ran: boolean }> {
  const { plan, connection } = await planLifecycleCommand(command, options);
  if (options.confirm && !(await options.confirm(plan))) return { plan, ran: false };
  await runOperations(plan.operations, new EngineOperationRunner(connection), { concurrency: options.concurrency, onEvent: operationListener(options) });
  return { plan, ran: true };
}

/** Without a compose file the services are those the project's containers are labelled with. */
function requireLabelledServices(project: string, containers: readonly { labels: Record<string, string> }[], services: readonly string[]): void {
  const known = [...new Set(containers.filter((c) => c.labels[LABEL.project] === project).map((c) => c.labels[LABEL.service] ?? ''))].filter(Boolean);
  const missing = services.find((service) => !known.includes(service));
  if (missing !== undefined) throw new NoSuchServiceError(`no such service: ${missing}`, { hint: known.length > 0 ? `project ${project} has: ${known.join(', ')}` : `project ${project} has no containers` });
}

/** Starts the project's stopped containers, each after those it depends on (and, for service_healthy and service_completed_successfully, after they got there). */
export const start = (options: LifecycleRunOptions = {}) => runLifecycle('start', options);
/** Stops the running containers, each after those depending on it; `timeout` overrides stop_grace_period. stop_signal is the container's own. */
export const stop = (options: LifecycleRunOptions = {}) => runLifecycle('stop', options);
/** Restarts the containers in dependency order, keeping them (and their ids); with services, those depending on them too unless `noDeps`. */
export const restart = (options: LifecycleRunOptions = {}) => runLifecycle('restart', options);
/** Sends `signal` (default SIGKILL) to the running containers. */
export const kill = (options: LifecycleRunOptions = {}) => runLifecycle('kill', options);
export const pause = (options: LifecycleRunOptions = {}) => runLifecycle('pause', options);
export const unpause = (options: LifecycleRunOptions = {}) => runLifecycle('unpause', options);
/** Removes the stopped containers; with `stop`, the running ones too, stopped first; with `removeVolumes`, their anonymous volumes. */
export const rm = (options: LifecycleRunOptions = {}) => runLifecycle('rm', options);
