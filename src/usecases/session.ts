import { connectEngine, type EngineConnection } from '../engine/client.js';
import { observeEngine, type ObserveOptions } from '../engine/observed-state.js';
import { lockProject, type ProjectLock } from '../engine/project-lock.js';
import { message } from '../progress/events.js';
import { TscomposeError } from '../errors.js';
import type { Conflict, ObservedState } from '../planner/types.js';
import type { OperationEvent } from '../executor/run-operations.js';
import type { ProgressEvent } from '../progress/events.js';
import { progressOf } from './progress-of.js';

/** The plan met what the engine holds: nothing was created. */
export class PlanConflictError extends TscomposeError {
  constructor(readonly conflicts: readonly Conflict[]) {
    super(conflicts.length === 1 ? conflicts[0]!.message : `${conflicts.length} conflicts with what the engine holds:\n${conflicts.map((c) => `  - ${c.message}`).join('\n')}`, {
      hint: 'nothing was created; free what is in the way, or change the compose file',
    });
  }
}

export interface EngineOptions {
  /** An engine connection to reuse (library use); otherwise DOCKER_HOST or the default socket. */
  connection?: EngineConnection;
  /** Progress of each Engine API call. */
  onEvent?: (event: OperationEvent) => void;
  /** The same progress as the CLI shows it and `--progress json` prints it. */
  onProgress?: (event: ProgressEvent) => void;
  /** Concurrent Engine API calls. */
  concurrency?: number;
  /** Stops the run: no new Engine API call starts, waits end, and the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The connection the options carry, else one to DOCKER_HOST or the default socket. */
export async function connectOrReuse(options: EngineOptions): Promise<EngineConnection> {
  return options.connection ?? (await connectEngine());
}

/** Connects (or reuses the connection) and takes one snapshot of the engine. */
export async function observeProject(project: string, options: EngineOptions, observe: ObserveOptions = {}): Promise<{ connection: EngineConnection; observed: ObservedState }> {
  const connection = await connectOrReuse(options);
  return { connection, observed: await observeEngine(connection, project, observe) };
}

/**
 * Takes the lock of the project on this engine for a command that changes it (up, down): while
 * another tscompose holds it, says so through onProgress and waits.
 */
export function lockFor(connection: EngineConnection, project: string, command: string, options: EngineOptions): Promise<ProjectLock> {
  return lockProject(connection.address, project, {
    command,
    onWait: (holder) => options.onProgress?.(message(`waiting for another tscompose${holder ? ` (${holder.command}, pid ${holder.pid})` : ''} working on project ${project} on this engine`)),
  });
}

/**
 * One listener for the executor's operation events that feeds both `onEvent` and `onProgress`.
 * With `quietPull` (compose's --quiet-pull), the pulls' and builds' own progress lines are left
 * out; their start, end and failure are reported as ever.
 */
export function operationListener(options: EngineOptions & { quietPull?: boolean }): ((event: OperationEvent) => void) | undefined {
  const { onEvent, onProgress, quietPull } = options;
  if (!onEvent && !onProgress) return undefined;
  return (event) => {
    if (quietPull && event.type === 'progress' && (event.operation.kind === 'PullImage' || event.operation.kind === 'BuildImage')) return;
    onEvent?.(event);
    onProgress?.(progressOf(event));
  };
}
