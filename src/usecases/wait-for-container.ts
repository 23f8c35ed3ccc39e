import type { EngineConnection } from '../engine/client.js';
import { inspectContainerState } from '../engine/container-state.js';
import { TscomposeError } from '../errors.js';
import type { Endpoint } from './endpoints.js';
import { reportOnContainer, ServiceFailedError, WaitTimeoutError, type WaitError } from './readiness.js';

/** The container a strategy waits on. */
export interface WaitTarget {
  connection: EngineConnection;
  service: string;
  /** The container's name. */
  container: string;
  /** Where the host reaches the container's published ports. */
  endpoints: readonly Endpoint[];
}

/** What a strategy gets besides its target. */
export interface WaitContext {
  /** Aborted when time runs out, another strategy failed, or the caller gave up. */
  signal: AbortSignal;
  /** Records what the strategy last saw (`HTTP 503`, `seen 1 of 2`): the report on a timeout shows it. */
  note(observation: string): void;
}

/**
 * When a container is ready. `waitUntilReady` resolves once it is, and throws a
 * {@link WaitStrategyFailure} when it never can be; it stops when its signal aborts.
 */
export interface WaitStrategy {
  /** What it waits for, after the service's name: `to answer HTTP 200 on GET /health (port 3000)`. */
  readonly description: string;
  /** Seconds it may take; undefined: the caller's limit. */
  readonly timeout: number | undefined;
  waitUntilReady(target: WaitTarget, context: WaitContext): Promise<void>;
}

/** A strategy found that its container can never become ready. */
export class WaitStrategyFailure extends TscomposeError {}

/** Seconds a wait may take when neither the strategy nor the caller says. */
export const DEFAULT_WAIT_TIMEOUT = 60;

/** How often the runner looks whether the container still runs, and a polling strategy tries again. */
export const POLL_MS = 250;

/** Bounds a strategy with `timeout` seconds; undefined: its own, else the default. */
export interface WaitForContainerOptions {
  timeout?: number;
  signal?: AbortSignal;
}

/**
 * Waits until the strategy finds the container ready. Throws a `WaitTimeoutError` when time runs
 * out and a `ServiceFailedError` when it can never become ready (or stopped), each with the
 * report `up --wait` gives (state, health log, last log lines); an abort rejects with its reason.
 */
export async function waitForContainer(target: WaitTarget, chosen: WaitStrategy, options: WaitForContainerOptions = {}): Promise<void> {
  const seconds = chosen.timeout ?? options.timeout ?? DEFAULT_WAIT_TIMEOUT;
  const deadline = AbortSignal.timeout(seconds * 1000);
  const stopped = new AbortController();
  const signal = AbortSignal.any([deadline, stopped.signal, ...(options.signal ? [options.signal] : [])]);
  let observation: string | undefined;
  const note = (text: string) => {
    observation = text;
  };
  try {
    await Promise.race([chosen.waitUntilReady(target, { signal, note }), failWhenStopped(target, signal)]);
  } catch (error) {
    options.signal?.throwIfAborted();
    throw await waitError(target, chosen, error, deadline.aborted ? seconds : undefined, observation);
  } finally {
    stopped.abort();
  }
}

/** Rejects when the container stops before the strategy is done; never resolves otherwise. */
async function failWhenStopped(target: WaitTarget, signal: AbortSignal): Promise<never> {
  for (;;) {
    const state = await inspectContainerState(target.connection, target.container);
    if (!state) throw new WaitStrategyFailure('was removed');
    if (state.status === 'exited' || state.status === 'dead') throw new WaitStrategyFailure(`exited with code ${state.exitCode}${state.oomKilled ? ' (out of memory)' : ''}`);
    await pause(signal, POLL_MS * 2);
  }
}

async function waitError(target: WaitTarget, chosen: WaitStrategy, error: unknown, timedOutAfter: number | undefined, observation: string | undefined): Promise<WaitError> {
  if (timedOutAfter !== undefined) {
    const reason = `did not get ready after ${timedOutAfter} s: waited ${chosen.description}${observation ? ` (last: ${observation})` : ''}`;
    const report = await reportOnContainer(target.connection, target.service, target.container, reason);
    return new WaitTimeoutError(`not ready after ${timedOutAfter} s: ${target.container}`, [report], error);
  }
  const message = error instanceof WaitStrategyFailure ? error.message : `failed while waiting ${chosen.description}: ${error instanceof Error ? error.message : String(error)}`;
  const report = await reportOnContainer(target.connection, target.service, target.container, message);
  return new ServiceFailedError(`service "${target.service}" ${message}`, [report], error);
}

/** A strategy with its own timeout applied: running out of it is a failure of this strategy only. */
export async function runStrategy(chosen: WaitStrategy, target: WaitTarget, context: WaitContext): Promise<void> {
  if (chosen.timeout === undefined) return chosen.waitUntilReady(target, context);
  const own = AbortSignal.timeout(chosen.timeout * 1000);
  try {
    await chosen.waitUntilReady(target, { ...context, signal: AbortSignal.any([context.signal, own]) });
  } catch (error) {
    if (own.aborted && !context.signal.aborted) throw new WaitStrategyFailure(`did not get ready ${chosen.description} within ${chosen.timeout} s`, { cause: error });
    throw error;
  }
}

/** Waits a poll interval; rejects with the signal's reason when it aborts first. */
export function pause(signal: AbortSignal, ms = POLL_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
