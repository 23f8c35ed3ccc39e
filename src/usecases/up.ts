import { checkEngineCall } from '../arguments.js';
import { explainAddressPoolExhaustion } from '../engine/address-pools.js';
import type { EngineConnection } from '../engine/client.js';
import { observeImages } from '../engine/observed-state.js';
import { EngineOperationRunner } from '../executor/operations.js';
import { OperationFailedError, runOperations } from '../executor/run-operations.js';
import { fileTexts } from '../loader/file-objects.js';
import type { ComposeProject, LoaderWarning } from '../loader/index.js';
import { plan, type ObservedImage, type ObservedState, type Plan } from '../planner/index.js';
import { message, replanned } from '../progress/events.js';
import { planUp, type PlanUpOptions } from './plan-up.js';
import { Readiness } from './readiness.js';
import { connectOrReuse, lockFor, operationListener, PlanConflictError, type EngineOptions } from './session.js';
import { loadProject } from './target.js';

export interface UpOptions extends Omit<PlanUpOptions, 'engineOptional'>, EngineOptions {
  /** `--wait`: return only when every container is running, and healthy where it has a healthcheck; else throw a WaitError. */
  wait?: boolean;
  /** `--wait-timeout`: seconds the containers have to become ready, counted from after planning (and pulls); default: no limit. */
  waitTimeout?: number;
  /** `--quiet-pull`: pull (and build) without their progress lines; a failure is still reported. */
  quietPull?: boolean;
}

export interface UpResult {
  project: ComposeProject;
  connection: EngineConnection;
  /** The plan that ran: the one `planUp` made, or, when a pull or build changed an image, the one made again after it (see `replanReason`). */
  plan: Plan;
  /** Why the containers were planned again after the images: which image a pull or build changed. */
  replanReason?: string;
  warnings: LoaderWarning[];
}

/**
 * Brings the project up: the plan `planUp` makes (the same the dry run prints), then every
 * operation as soon as its dependencies are done. Conflicts stop it before anything is created;
 * a failure half-way leaves only resources that carry the project's labels.
 */
export async function up(options: UpOptions = {}): Promise<UpResult> {
  checkEngineCall(options, 'up');
  options.signal?.throwIfAborted();
  const { project, warnings } = loadProject(options);
  const connection = await connectOrReuse(options);
  const lock = await lockFor(connection, project.name, 'up', options);
  try {
    try {
      return { ...(await planAndRun({ ...options, project, connection })), warnings };
    } catch (error) {
      // Something changed on the engine since the snapshot (a run killed a moment ago whose calls
      // still landed, a run on another machine): plan once more from what is there now.
      const changed = changedUnderPlan(error);
      if (!changed) throw error;
      options.onProgress?.(message(`planning again: the engine changed under the plan (${changed})`));
      return { ...(await planAndRun({ ...options, project, connection })), warnings };
    }
  } finally {
    await lock.release();
  }
}

/** The engine refused a call because of something that was not there when the plan was made: a name now taken, a network now ambiguous or gone. */
function changedUnderPlan(error: unknown): string | undefined {
  if (!(error instanceof OperationFailedError)) return undefined;
  const engineError = (error.cause as Error | undefined)?.cause as { statusCode?: number } | undefined;
  const cause = (error.cause as Error).message;
  const taken = engineError?.statusCode === 409 && error.operation.kind.startsWith('Create');
  return taken || /is ambiguous|network \S+ not found/.test(cause) ? error.message : undefined;
}

/** One snapshot, one plan, and its operations run (images first). */
async function planAndRun(options: UpOptions & { project: ComposeProject; connection: EngineConnection }): Promise<Omit<UpResult, 'warnings'>> {
  const { signal } = options;
  const { project, plan: planned, connection, observed } = await planUp(options);
  if (planned.conflicts.length > 0) throw new PlanConflictError(planned.conflicts);
  // planUp without engineOptional always has the engine.
  if (!connection || !observed) throw new Error('planUp returned no engine state');
  const runner = new EngineOperationRunner(connection, fileTexts(project));
  const onEvent = operationListener(options);
  let toRun = planned;
  let replanReason: string | undefined;
  const imageOperations = planned.operations.filter((operation) => operation.kind === 'PullImage' || operation.kind === 'BuildImage');
  if (imageOperations.length > 0) {
    // Images first, as compose does: a failed pull or build creates nothing.
    await runOperations(imageOperations, runner, { concurrency: options.concurrency, onEvent, signal });
    const images = await observeImages(connection, []);
    // Planned again against the images now there: where that changes anything, the new plan runs, and the event says why.
    const rest = withoutImageOperations(planned);
    const again = againAfterImages(project, observed, images, options, planned);
    if (!sameOperations(rest, again)) {
      replanReason = changedImages(planned, observed, images) ?? 'the images pulled or built change what the containers need';
      options.onProgress?.(replanned(replanReason, again.operations.map((operation) => operation.id)));
      toRun = again;
    } else {
      toRun = rest;
    }
  }
  const readiness = options.wait && !options.noStart ? new Readiness(connection, project, toRun, options.waitTimeout) : undefined;
  try {
    signal?.throwIfAborted();
    await runOperations(toRun.operations, readiness?.watch(runner) ?? runner, { concurrency: options.concurrency, onEvent, signal });
    await readiness?.untilReady(onEvent, signal);
  } catch (error) {
    throw (await readiness?.explain(error)) ?? explainAddressPoolExhaustion(error, observed.networks) ?? error;
  } finally {
    readiness?.dispose();
  }
  return { project, connection, plan: toRun, ...(replanReason === undefined ? {} : { replanReason }) };
}

/** The plan's own operations once its images are there. */
function withoutImageOperations(planned: Plan): Plan {
  const images = new Set(planned.operations.filter((operation) => operation.kind === 'PullImage' || operation.kind === 'BuildImage').map((operation) => operation.id));
  return { ...planned, operations: planned.operations.filter((operation) => !images.has(operation.id)).map((operation) => ({ ...operation, dependsOn: operation.dependsOn.filter((id) => !images.has(id)) })) };
}

function sameOperations(a: Plan, b: Plan): boolean {
  const text = (plan: Plan) => JSON.stringify(plan.operations.map((operation) => [operation.id, operation.dependsOn]));
  return text(a) === text(b);
}

/** Which images that were there before a pull or build now have another id: the containers made from them are planned again. */
function changedImages(planned: Plan, observed: ObservedState, after: readonly ObservedImage[]): string | undefined {
  const idOf = (images: readonly ObservedImage[] | undefined, name: string) => images?.find((image) => image.tags.includes(name) || image.tags.includes(`${name}:latest`))?.id;
  const changes = planned.images
    .filter((image) => image.action !== 'keep' && image.existingId !== undefined)
    .flatMap((image) => {
      const before = idOf(observed.images, image.name) ?? image.existingId;
      const now = idOf(after, image.name);
      return now !== undefined && now !== before ? [`${image.name}: ${short(before)} → ${short(now)}`] : [];
    });
  return changes.length > 0 ? `image changed by ${changes.length === 1 ? 'its pull or build' : 'pulls or builds'}: ${changes.join(', ')}` : undefined;
}

function short(id: string | undefined): string {
  return id === undefined ? '?' : `${id.slice(0, 'sha256:'.length + 12)}…`;
}

/** The containers planned again against the images now there; a conflict found now stops it as before. */
function againAfterImages(project: ComposeProject, observed: ObservedState, images: ObservedImage[], options: UpOptions, planned: Plan): Plan {
  const again = plan(project, { ...observed, images }, { ...options, pull: 'never', build: false, noBuild: true });
  if (again.conflicts.length > 0) throw new PlanConflictError(again.conflicts);
  return { ...again, images: planned.images };
}
