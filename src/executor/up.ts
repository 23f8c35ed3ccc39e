import type { EngineConnection } from '../engine/client.js';
import { explainAddressPoolExhaustion } from '../engine/address-pools.js';
import { observeImages } from '../engine/observed-state.js';
import type { ComposeProject, LoadOptions, LoaderWarning } from '../loader/index.js';
import { loadProject } from './project-target.js';
import { imagesNeedingAge, plan, type Plan, type PlanOptions } from '../planner/index.js';
import { engineRunner } from './images.js';
import { checkHostPorts } from './preflight.js';
import { observeProject, operationListener, PlanConflictError, type EngineOptions } from './project-session.js';
import { runOperations } from './run-operations.js';
import { Readiness } from './wait.js';
import { checkEngineCall } from '../arguments.js';

export interface UpOptions extends LoadOptions, PlanOptions, EngineOptions {
  /** A project already loaded (library use); otherwise it is loaded with the LoadOptions. */
  project?: ComposeProject;
  /** `--wait`: return only when every container is running, and healthy where it has a healthcheck; else throw a WaitError. */
  wait?: boolean;
  /** `--wait-timeout`: seconds the containers have to become ready, counted from after planning (and pulls); default: no limit. */
  waitTimeout?: number;
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
  checkEngineCall(options, 'up');
  const { signal } = options;
  signal?.throwIfAborted();
  const { project, warnings } = loadProject(options);
  const { connection, observed } = await observeProject(project.name, options, { imagesNeedingAge: imagesNeedingAge(project) });
  let planned = plan(project, observed, options);
  if (planned.conflicts.length > 0) throw new PlanConflictError(planned.conflicts);
  await checkHostPorts(planned, observed, connection);
  const runner = engineRunner(connection);
  const onEvent = operationListener(options);
  const imageOperations = planned.operations.filter((operation) => operation.kind === 'PullImage' || operation.kind === 'BuildImage');
  if (imageOperations.length > 0) {
    // Images first, as compose does: a failed pull or build creates nothing, and the containers
    // are planned again against the images now there, so a changed image recreates its containers.
    await runOperations(imageOperations, runner, { concurrency: options.concurrency, onEvent, signal });
    const images = await observeImages(connection.docker, []);
    const again = plan(project, { ...observed, images }, { ...options, pull: 'never', build: false, noBuild: true });
    if (again.conflicts.length > 0) throw new PlanConflictError(again.conflicts);
    planned = { ...again, images: planned.images };
  }
  const readiness = options.wait && !options.noStart ? new Readiness(connection, project, planned, options.waitTimeout) : undefined;
  try {
    signal?.throwIfAborted();
    await runOperations(planned.operations, readiness?.watch(runner) ?? runner, { concurrency: options.concurrency, onEvent, signal });
    await readiness?.untilReady(onEvent, signal);
  } catch (error) {
    throw (await readiness?.explain(error)) ?? explainAddressPoolExhaustion(error, observed.networks) ?? error;
  } finally {
    readiness?.dispose();
  }
  return { project, connection, plan: planned, warnings };
}
