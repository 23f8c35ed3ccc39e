import type Docker from 'dockerode';
import { pipeline, Transform, type Readable } from 'node:stream';
import { TscomposeError } from '../errors.js';
import { EngineUnavailableError, type EngineAddress } from './address.js';
import { engineMessage } from './responses.js';

/** Seconds the engine has to answer a call (or, in a pull or an upload, to show life) unless COMPOSE_HTTP_TIMEOUT says otherwise; docker-compose 1.29's figure. */
export const DEFAULT_CALL_TIMEOUT_S = 60;

/** How long the check that the engine is still there may take, after it failed a call with a 5xx. */
const PROBE_TIMEOUT_MS = 3000;

/** The engine's stop waits for the grace period (`t`, else the container's StopTimeout, else 10 s) before it kills. */
const ENGINE_DEFAULT_STOP_TIMEOUT_S = 10;

/** The engine did not answer a call within its bound, or a stream went silent for longer than that. */
export class EngineTimeoutError extends EngineUnavailableError {}

/** The connection to the engine broke under a call: the engine stopped, restarted or crashed. */
export class EngineConnectionLostError extends EngineUnavailableError {}

/** Errors of the socket that mean the engine is no longer there, as the user would say them. */
const LOST_CONNECTION: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOENT: 'its socket is gone',
  EPIPE: 'connection closed',
  ECONNABORTED: 'connection closed',
  ERR_STREAM_PREMATURE_CLOSE: 'connection closed',
};

/** What docker-modem's dial receives from dockerode: one call (the path without the API version, the query in `options`). */
export interface DialOptions {
  path: string;
  method: string;
  isStream?: boolean;
  hijack?: boolean;
  openStdin?: boolean;
  file?: unknown;
  statusCodes?: Record<number, unknown>;
  options?: Record<string, unknown>;
  abortSignal?: AbortSignal;
}
export type DialCallback = (error: unknown, result?: unknown) => void;
/** docker-modem's request function, or one of the same shape (see engine-get.ts). */
export interface Modem {
  dial(options: DialOptions, callback: DialCallback): void;
}

/** How long a call may go without the engine's answer, and what bounds it once the answer has begun. */
interface CallBound {
  /** Milliseconds until the answer; with `idleUntilAnswer`, of silence while the body is sent. Undefined: no bound (waiting is the call's purpose). */
  ms?: number;
  /** The request carries a body (a build context) whose sending counts as life. */
  idleUntilAnswer: boolean;
  /** After the answer began: `idle` bounds each silence of the stream (a pull); `none` leaves it to the call (logs follow, attach, a build's silent RUN step). */
  afterAnswer: 'idle' | 'none';
}

/** COMPOSE_HTTP_TIMEOUT in milliseconds, as docker-compose reads it. */
export function callTimeoutMs(environment: NodeJS.ProcessEnv): number {
  const text = environment.COMPOSE_HTTP_TIMEOUT?.trim();
  if (!text) return DEFAULT_CALL_TIMEOUT_S * 1000;
  const seconds = Number(text);
  if (!(seconds > 0)) {
    throw new TscomposeError(`COMPOSE_HTTP_TIMEOUT "${text}" is not a number of seconds`, { hint: `unset it for the default of ${DEFAULT_CALL_TIMEOUT_S} s, or give a positive number` });
  }
  return seconds * 1000;
}

/**
 * Puts the paths dockerode builds from names through encodeURIComponent: it pastes ids and names
 * into the URL as they are, so a network called `a b/c!` made the request invalid or pointed it
 * elsewhere. The engine decodes the path before routing.
 */
export function escapeResourcePaths(docker: Docker): void {
  const target = docker as unknown as Record<string, (id: string, ...rest: unknown[]) => unknown>;
  for (const method of ['getContainer', 'getImage', 'getVolume', 'getNetwork', 'getExec', 'getPlugin'] as const) {
    const original = target[method]!.bind(docker);
    target[method] = (id: string, ...rest: unknown[]) => original(encodeURIComponent(id), ...rest);
  }
}

/**
 * Gives every call of this client a bound (see {@link boundOf}) and turns a broken connection
 * into an error that says the engine went away. A caller's abortSignal (Ctrl-C) still ends a
 * call at once.
 */
export function boundEngineCalls(docker: Docker, address: EngineAddress, timeoutMs: number): void {
  boundModem(docker.modem as unknown as Modem, address, timeoutMs);
}

/** {@link boundEngineCalls} for one dial: dockerode's, or the one a snapshot reads through. */
export function boundModem(modem: Modem, address: EngineAddress, timeoutMs: number): Modem {
  const dial = modem.dial.bind(modem);
  const describe = (options: DialOptions) => `${options.method} ${displayPath(options.path)}`;

  /** Asks /_ping, raw: undefined when the engine answers, else why not. */
  const whyGone = (): Promise<string | undefined> =>
    new Promise((resolve) => {
      const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
      dial({ path: '/_ping', method: 'GET', statusCodes: { 200: true }, abortSignal: signal, options: {} }, (error) =>
        resolve(error === null || error === undefined ? undefined : signal.aborted ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s` : lostReason(error) ?? engineMessage(error)),
      );
    });

  const explain = async (error: unknown, call: string): Promise<unknown> => {
    const lost = lostReason(error);
    if (lost) return connectionLost(address, call, lost, error);
    // A restart first fails the calls in flight with the engine's own 5xx ("failed to update store…").
    if (((error as { statusCode?: number }).statusCode ?? 0) < 500) return error;
    const gone = await whyGone();
    return gone ? connectionLost(address, call, `${gone}; its last answer was: ${engineMessage(error)}`, error) : error;
  };

  const boundedDial = (options: DialOptions, bound: CallBound, callback: DialCallback) => {
    const call = describe(options);
    if (bound.ms === undefined) {
      dial(options, (error, result) => (error ? void explain(error, call).then((explained) => callback(explained)) : callback(null, result)));
      return;
    }
    const ms = bound.ms;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let expire = () => controller.abort(new EngineTimeoutError(`the Docker engine at ${address.display} did not answer ${call} within ${seconds(ms)}`, { hint: timeoutHint() }));
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => expire(), ms);
    };
    arm();
    if (bound.idleUntilAnswer && isReadable(options.file)) {
      const counted = new Transform({ transform: (chunk, _encoding, done) => (arm(), done(null, chunk)) });
      pipeline(options.file, counted, () => {});
      options.file = counted;
    }
    const callerSignal = options.abortSignal;
    options.abortSignal = callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal;
    dial(options, (error, result) => {
      clearTimeout(timer);
      if (error) {
        if (controller.signal.aborted && !callerSignal?.aborted) return callback(controller.signal.reason);
        return void explain(error, call).then((explained) => callback(explained));
      }
      if (bound.afterAnswer === 'idle' && isReadable(result) && 'socket' in result) {
        const response = result as Readable & { socket?: NodeJS.EventEmitter | null };
        expire = () => response.destroy(new EngineTimeoutError(`the Docker engine at ${address.display} sent nothing for ${seconds(ms)} during ${call}`, { hint: timeoutHint() }));
        const socket = response.socket;
        socket?.on('data', arm);
        arm();
        response.once('close', () => {
          clearTimeout(timer);
          socket?.off('data', arm);
        });
      }
      callback(null, result);
    });
  };

  modem.dial = (options, callback) => {
    const bound = boundOf(options, timeoutMs);
    const stopped = /^\/containers\/([^/?]+)\/(?:stop|restart)\?/.exec(options.path);
    if (!stopped || options.options?.t !== undefined) return boundedDial(options, bound, callback);
    // Without t the engine waits the container's own StopTimeout (stop_grace_period): read it first.
    boundedDial({ path: `/containers/${stopped[1]}/json?`, method: 'GET', statusCodes: { 200: true, 404: 'no such container' }, options: {} }, boundOf({ path: '', method: 'GET' }, timeoutMs), (error, details) => {
      if (error) return callback(error);
      const grace = (details as { Config?: { StopTimeout?: number } }).Config?.StopTimeout ?? ENGINE_DEFAULT_STOP_TIMEOUT_S;
      boundedDial(options, { ...bound, ms: timeoutMs + grace * 1000 }, callback);
    });
  };
  return modem;
}

/**
 * The bound of one call: the engine must answer within `timeoutMs`; a stop within that plus the
 * grace period it waits; a wait on a container has none. Pulls must show life at least that often
 * throughout; uploads (a build's context) while they send. Streams that follow (logs, attach,
 * events) and a build's output may then stay silent for as long as the work takes.
 */
export function boundOf(options: Pick<DialOptions, 'path' | 'method' | 'isStream' | 'file' | 'options'>, timeoutMs: number): CallBound {
  const path = options.path.split('?')[0]!;
  if (/^\/containers\/[^/]+\/wait$/.test(path)) return { idleUntilAnswer: false, afterAnswer: 'none' };
  const t = Number(options.options?.t);
  if (/^\/containers\/[^/]+\/(?:stop|restart)$/.test(path) && t >= 0) return { ms: timeoutMs + t * 1000, idleUntilAnswer: false, afterAnswer: 'none' };
  const pull = /^\/images\/(?:create|.+\/push)$/.test(path);
  return { ms: timeoutMs, idleUntilAnswer: options.file !== undefined, afterAnswer: pull && options.isStream ? 'idle' : 'none' };
}

/** Why the connection broke, when it did; undefined for an answer of the engine or anything else. */
function lostReason(error: unknown): string | undefined {
  if ((error as { statusCode?: number }).statusCode) return undefined;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reason = LOST_CONNECTION[code] ?? ((error as Error).message === 'socket hang up' ? 'connection closed' : undefined);
  return reason && `${reason} (${code || 'socket hang up'})`;
}

function connectionLost(address: EngineAddress, call: string, reason: string, cause: unknown): EngineConnectionLostError {
  return new EngineConnectionLostError(`the Docker engine at ${address.display} went away during ${call}: ${reason}`, {
    hint: 'the engine stopped or restarted; once `docker info` answers again, run the command again: it picks up from what is there',
    cause,
  });
}

function timeoutHint(): string {
  return `the engine is stalled or overloaded (see \`docker info\`); COMPOSE_HTTP_TIMEOUT sets the seconds to wait (default ${DEFAULT_CALL_TIMEOUT_S})`;
}

/** The path as the user would read it: no query, names unescaped. */
function displayPath(path: string): string {
  const bare = path.split('?')[0]!;
  try {
    return decodeURIComponent(bare);
  } catch {
    return bare;
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function isReadable(value: unknown): value is Readable {
  return typeof (value as { pipe?: unknown } | null)?.pipe === 'function';
}
