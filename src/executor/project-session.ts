import { connectEngine, type EngineConnection } from '../engine/client.js';
import { observeEngine } from '../engine/observed-state.js';
import { TscomposeError } from '../errors.js';
import type { Conflict, ObservedState } from '../planner/types.js';
import type { OperationEvent } from './run-operations.js';

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
  /** Concurrent Engine API calls. */
  concurrency?: number;
}

/** Connects (or reuses the connection) and takes one snapshot of the engine. */
export async function observeProject(project: string, options: EngineOptions): Promise<{ connection: EngineConnection; observed: ObservedState }> {
  const connection = options.connection ?? (await connectEngine());
  return { connection, observed: await observeEngine(connection, project) };
}
