import type { Readable } from 'node:stream';
import { checkCommand } from '../arguments.js';
import { execInContainer } from '../engine/container-exec.js';
import { inspectContainerState } from '../engine/container-state.js';
import { containerLogs, type LogLine } from '../engine/project-containers.js';
import type { Endpoint } from './endpoints.js';
import { pause, runStrategy, WaitStrategyFailure, type WaitContext, type WaitStrategy, type WaitTarget } from './wait-for-container.js';

/** How long one probe (a TCP connect, an HTTP request) may take. */
const PROBE_TIMEOUT_MS = 2000;

export interface TimeoutOption {
  /** Seconds; default: the caller's limit ({@link DEFAULT_WAIT_TIMEOUT} unless it says). */
  timeout?: number;
}

export interface PortWaitOptions extends TimeoutOption {
  /**
   * Where the port must be listening: `inside`, in the container's own network stack (its
   * /proc/net/tcp, read with `cat` in the container); `host`, at the published port from this
   * process (the engine's proxy accepts there before the process listens, so alone it proves
   * less); `both` (default; `inside` alone when the port is not published).
   */
  from?: 'inside' | 'host' | 'both';
}

export interface LogWaitOptions extends TimeoutOption {
  /** Ready at the n-th line that matches (default 1), counted from the container's start. */
  times?: number;
}

export interface HttpWaitOptions extends TimeoutOption {
  /** The container port; it must be published. */
  port: number;
  /** The status (or any of the statuses) that means ready; default 200. */
  status?: number | readonly number[];
  method?: string;
  protocol?: 'http' | 'https';
  headers?: Readonly<Record<string, string>>;
}

/** Wait strategies, for `compose(...).withWait(service, strategy)` or `waitForContainer`. */
export const wait = {
  /** Its healthcheck (the service's or the image's) reports healthy; unhealthy is a failure. The default for a service with one. */
  healthy(options: TimeoutOption = {}): WaitStrategy {
    return strategy('to become healthy', options, async (target, { signal, note }) => {
      for (;;) {
        const state = await inspectContainerState(target.connection, target.container);
        const health = state?.health;
        if (!health) throw new WaitStrategyFailure(`has no healthcheck`);
        if (health.status === 'healthy') return;
        const last = health.log.at(-1)?.output.trim().split('\n')[0];
        if (health.status === 'unhealthy') throw new WaitStrategyFailure(`is unhealthy${last ? ` (last check: ${last})` : ''}`);
        note(`health ${health.status}${last ? `, last check: ${last}` : ''}`);
        await pause(signal);
      }
    });
  },

  /** A TCP port is listening: see {@link PortWaitOptions.from}. */
  port(port: number, options: PortWaitOptions = {}): WaitStrategy {
    checkPort(port, 'wait.port');
    const from = options.from ?? 'both';
    return strategy(`to listen on port ${port}/tcp${from === 'both' ? '' : ` (from ${from === 'inside' ? 'inside the container' : 'the host'})`}`, options, async (target, { signal, note }) => {
      const endpoint = findEndpoint(target, port);
      if (from === 'host' && !endpoint) throw new WaitStrategyFailure(`cannot be reached from the host: port ${port}/tcp is not published`);
      for (;;) {
        const inside = from === 'host' || (await listeningInside(target, port, signal));
        const outside = from === 'inside' || !endpoint || (await connects(endpoint, signal));
        if (inside && outside) return;
        note(!inside ? `nothing listens on ${port}/tcp inside the container` : `${endpoint!.address} does not accept connections`);
        await pause(signal);
      }
    });
  },

  /** A line of its output (stdout or stderr) matches, the n-th time with `times`. */
  log(pattern: RegExp | string, options: LogWaitOptions = {}): WaitStrategy {
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new TypeError(`wait.log: times must be a whole number of at least 1, not ${String(times)}`);
    const matches = typeof pattern === 'string' ? (line: string) => line.includes(pattern) : (line: string) => new RegExp(pattern.source, pattern.flags.replace('g', '')).test(line);
    const shown = typeof pattern === 'string' ? JSON.stringify(pattern) : String(pattern);
    return strategy(`to log ${shown}${times > 1 ? ` ${times} times` : ''}`, options, async (target, { signal, note }) => {
      const lines = await containerLogs(target.connection, target.container, { follow: true });
      const stop = () => lines.destroy();
      signal.addEventListener('abort', stop, { once: true });
      let seen = 0;
      note(`seen 0 of ${times}`);
      try {
        for await (const line of lines as Readable & AsyncIterable<LogLine>) {
          if (!matches(line.text)) continue;
          seen += 1;
          note(`seen ${seen} of ${times}`);
          if (seen === times) return;
        }
      } catch (error) {
        signal.throwIfAborted();
        throw error;
      } finally {
        signal.removeEventListener('abort', stop);
        lines.destroy();
      }
      signal.throwIfAborted();
      throw new WaitStrategyFailure(`stopped before it logged ${shown}${times > 1 ? ` ${times} times` : ''} (seen ${seen})`);
    });
  },

  /** An HTTP request to a published port, from the host, gets the expected status. */
  http(path: string, options: HttpWaitOptions): WaitStrategy {
    if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`wait.http: the path must start with "/", not ${JSON.stringify(path)}`);
    checkPort(options?.port, 'wait.http: options.port');
    const statuses = [options.status ?? 200].flat();
    const method = options.method ?? 'GET';
    return strategy(`to answer HTTP ${statuses.join(' or ')} to ${method} ${path} (port ${options.port})`, options, async (target, { signal, note }) => {
      const endpoint = findEndpoint(target, options.port);
      if (!endpoint) throw new WaitStrategyFailure(`cannot be reached from the host: port ${options.port}/tcp is not published`);
      const url = `${options.protocol ?? 'http'}://${endpoint.address}${path}`;
      for (;;) {
        try {
          const response = await fetch(url, { method, headers: options.headers, signal: AbortSignal.any([signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]) });
          await response.body?.cancel();
          if (statuses.includes(response.status)) return;
          note(`${url} answered ${response.status}`);
        } catch (error) {
          signal.throwIfAborted();
          note(`${url}: ${describeFetchError(error)}`);
        }
        await pause(signal);
      }
    });
  },

  /** A command run in the container exits with 0. */
  command(command: readonly string[], options: TimeoutOption = {}): WaitStrategy {
    checkCommand(command, 'wait.command(command)');
    return strategy(`to pass ${JSON.stringify(command.join(' '))}`, options, async (target, { signal, note }) => {
      for (;;) {
        const result = await execInContainer(target.connection, target.container, command, { signal });
        if (result.exitCode === 0) return;
        const last = (result.stderr.trim() || result.stdout.trim()).split('\n').at(-1);
        note(`exit ${result.exitCode}${last ? `: ${last}` : ''}`);
        await pause(signal);
      }
    });
  },

  /** Every one of the strategies, at once; the first that fails fails them all. */
  all(...strategies: WaitStrategy[]): WaitStrategy {
    checkStrategies(strategies, 'wait.all');
    return combined(`all of: ${strategies.map((s) => s.description).join('; ')}`, undefined, (target, context) =>
      runTogether(strategies, target, context, async (running) => {
        await Promise.all(running);
      }),
    );
  },

  /** The first of the strategies to succeed; fails only when every one has. */
  any(...strategies: WaitStrategy[]): WaitStrategy {
    checkStrategies(strategies, 'wait.any');
    return combined(`any of: ${strategies.map((s) => s.description).join('; ')}`, undefined, (target, context) =>
      runTogether(strategies, target, context, async (running) => {
        try {
          await Promise.any(running);
        } catch (error) {
          context.signal.throwIfAborted();
          throw new WaitStrategyFailure((error as AggregateError).errors.map((each: unknown) => (each instanceof Error ? each.message : String(each))).join('; and '));
        }
      }),
    );
  },
};

/** Runs the strategies at once; when `settle` is done with them, those still running are stopped. */
async function runTogether(strategies: readonly WaitStrategy[], target: WaitTarget, context: WaitContext, settle: (running: Promise<void>[]) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const signal = AbortSignal.any([context.signal, controller.signal]);
  try {
    await settle(strategies.map((each) => runStrategy(each, target, { signal, note: context.note })));
  } finally {
    controller.abort();
  }
}

function strategy(description: string, options: TimeoutOption, waitUntilReady: WaitStrategy['waitUntilReady']): WaitStrategy {
  const timeout = options?.timeout;
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0)) throw new TypeError(`a wait's timeout is a number of seconds above 0, not ${String(timeout)}`);
  return combined(description, timeout, waitUntilReady);
}

function combined(description: string, timeout: number | undefined, waitUntilReady: WaitStrategy['waitUntilReady']): WaitStrategy {
  return { description, timeout, waitUntilReady };
}

function checkStrategies(strategies: readonly WaitStrategy[], name: string): void {
  if (strategies.length === 0 || !strategies.every(isWaitStrategy)) throw new TypeError(`${name} takes one or more wait strategies (wait.log(...), wait.http(...), ...)`);
}

export function isWaitStrategy(value: unknown): value is WaitStrategy {
  return typeof value === 'object' && value !== null && typeof (value as WaitStrategy).waitUntilReady === 'function' && typeof (value as WaitStrategy).description === 'string';
}

function checkPort(port: unknown, name: string): void {
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) throw new TypeError(`${name} is a port number from 1 to 65535, not ${String(port)}`);
}

function findEndpoint(target: WaitTarget, port: number): Endpoint | undefined {
  return target.endpoints.find((endpoint) => endpoint.containerPort === port && endpoint.protocol === 'tcp');
}

/** Whether a socket listens on the port in the container's network stack, from its /proc/net/tcp tables. */
async function listeningInside(target: WaitTarget, port: number, signal: AbortSignal): Promise<boolean> {
  const result = await execInContainer(target.connection, target.container, ['cat', '/proc/net/tcp', '/proc/net/tcp6'], { signal });
  if (result.exitCode !== 0 && result.stdout === '') {
    throw new WaitStrategyFailure(`cannot be checked inside the container (cat /proc/net/tcp: ${(result.stderr.trim() || `exit ${result.exitCode}`).split('\n')[0]})`, {
      hint: 'an image without cat: wait with from: "host", or with wait.http',
    });
  }
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  // Columns: sl, local_address (HEXIP:HEXPORT), rem_address, st (0A = LISTEN), …
  return result.stdout.split('\n').some((line) => {
    const [, local, , state] = line.trim().split(/\s+/);
    return local?.endsWith(hexPort) === true && state === '0A';
  });
}

/** Whether a TCP connection to the endpoint opens. */
function connects(endpoint: Endpoint, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = process.getBuiltinModule('node:net').connect({ host: endpoint.host, port: endpoint.hostPort, signal: AbortSignal.any([signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

