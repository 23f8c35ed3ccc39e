import type { EngineConnection } from '../engine/client.js';
import { inspectContainerState, type ContainerState, type HealthCheckResult } from '../engine/container-state.js';
import { TscomposeError } from '../errors.js';
import type { WaitCondition } from '../planner/types.js';

/** How often a wait looks at the container again. */
export const POLL_MS = 100;

/** A container that did not reach the state another one (or `up --wait`) waits for. */
export class ContainerWaitError extends TscomposeError {}

/**
 * What a wait asks of a container. `dependency`: as `depends_on` means it (`running` is
 * "started": running, or already exited). `ready`: as `up --wait` means it (`running` is running
 * and, with a healthcheck, healthy; an exit is a failure).
 */
export type WaitPurpose = 'dependency' | 'ready';

/**
 * Polls the container until it reaches the condition; throws ContainerWaitError as soon as it
 * can no longer get there. It looks at least once: a container that is there when the signal
 * fires still counts.
 */
export async function waitForContainer(connection: EngineConnection, name: string, condition: WaitCondition, purpose: WaitPurpose, signal: AbortSignal): Promise<void> {
  for (;;) {
    if (await lookAt(connection, name, condition, purpose)) return;
    signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** One look at the container: whether it is where the wait wants it; throws ContainerWaitError when it can no longer get there. */
export async function lookAt(connection: EngineConnection, name: string, condition: WaitCondition, purpose: WaitPurpose): Promise<boolean> {
  const state = await inspectContainerState(connection, name);
  if (!state) throw new ContainerWaitError(`container ${name} was removed`);
  return reached(name, condition, purpose, state);
}

/** Whether the container is where the wait wants it; throws ContainerWaitError when it can no longer get there. */
function reached(name: string, condition: WaitCondition, purpose: WaitPurpose, state: ContainerState): boolean {
  if (condition === 'exited-successfully') {
    if (!isStopped(state)) return false;
    if (state.exitCode === 0) return true;
    throw new ContainerWaitError(`container ${name} exited with code ${state.exitCode}; its dependents wait for it to complete successfully`);
  }
  if (condition === 'running' && purpose === 'dependency') return state.running || state.status === 'exited';
  if (condition === 'healthy' && !state.health) {
    throw new ContainerWaitError(`container ${name} has no healthcheck, so it can never be healthy`, { hint: 'add a healthcheck: to the service, or depend on it with condition: service_started' });
  }
  if (isStopped(state)) {
    const oom = state.oomKilled ? ' (out of memory)' : '';
    throw new ContainerWaitError(`container ${name} exited with code ${state.exitCode}${oom}${condition === 'healthy' ? ' before it became healthy' : ''}`);
  }
  if (state.health?.status === 'unhealthy') throw new ContainerWaitError(`container ${name} is unhealthy${lastCheck(state.health.log)}`);
  // A healthcheck the image defines counts too; restarting or paused is not running.
  return state.status === 'running' && (state.health === undefined || state.health.status === 'healthy');
}

export function isStopped(state: ContainerState): boolean {
  return state.status === 'exited' || state.status === 'dead';
}

function lastCheck(log: readonly HealthCheckResult[]): string {
  const output = log.at(-1)?.output.trim();
  return output ? ` (last check: ${output.split('\n')[0]})` : '';
}
