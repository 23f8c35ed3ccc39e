import type { Socket } from 'node:net';
import type { EngineAddress } from './address.js';
import type { DialCallback, DialOptions, Modem } from './call-bounds.js';

/** The read-only calls of a snapshot (ping, lists, inspects), without dockerode. */
export interface EngineReader {
  /** GET `path` (query in `query`); the engine's JSON, or an error shaped as dockerode's (`statusCode`, `json`) for an answer not in `statusCodes`. */
  get<T>(path: string, statusCodes: Record<number, true | string>, query?: Record<string, unknown>, abortSignal?: AbortSignal): Promise<T>;
  /** The headers of the answer to a GET (the ping reads the API version from them). */
  headersOf(path: string, statusCodes: Record<number, true | string>, abortSignal: AbortSignal): Promise<{ headers: Record<string, string | string[] | undefined> }>;
}

/** Whether GETs to this engine go over a socket of our own: a unix socket or plain tcp. TLS and ssh:// engines are read through dockerode, which handles them. */
export function readsOverHttp(address: EngineAddress): boolean {
  const { socketPath, protocol } = address.options;
  return typeof socketPath === 'string' || protocol === 'http';
}

/**
 * Connections kept open to the engine, each carrying one call at a time; further calls wait for
 * one. On a unix socket a few suffice (each connection costs the engine an accept); over tcp
 * more of them hide the round trips.
 */
const CONNECTIONS = { unix: 8, tcp: 32 };

/** How long an idle connection is kept, as Node's own agent keeps them: a long-lived library process does not hold them forever. */
const IDLE_MS = 5000;

/** One GET on its way: the request's text, and who waits for the answer. */
interface Call {
  text: string;
  isStream: boolean;
  statusCodes: Record<number, unknown>;
  callback: DialCallback;
  /** Answered, failed or aborted: nothing more is reported. */
  done: boolean;
  /** Sent again once, on a fresh connection, after a kept-alive one closed before answering. */
  resent: boolean;
}

interface Connection {
  socket: Socket;
  call?: Call;
  /** The call went out on a connection that had answered before (the engine may have closed it meanwhile). */
  reused: boolean;
  chunks: Buffer[];
  error?: Error;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  close: boolean;
}

/**
 * A dial for the GETs of a snapshot, over HTTP/1.1 on a few kept-alive sockets: loading dockerode
 * (0.9 MB with ssh2 and grpc) cost an unchanged `up` more than its calls, and node:http's
 * machinery about 0.5 ms of CPU a call, a fresh connection each; an unchanged `up` of 100
 * services makes over 100 calls. Answers and errors have docker-modem's shapes (the JSON, or an
 * Error with `statusCode`, `json` and its message), so that the call bounds (call-bounds.ts) and
 * the callers treat them alike. Only GET: every change goes through dockerode.
 */
export function httpModem(address: EngineAddress, apiVersion: string | undefined): Modem {
  const { socketPath, host, port } = address.options as { socketPath?: string; host?: string; port?: number };
  const prefix = apiVersion ? `/v${apiVersion}` : '';
  const hostHeader = socketPath !== undefined ? 'localhost' : `${host?.includes(':') ? `[${host}]` : host}:${port}`;
  const limit = socketPath !== undefined ? CONNECTIONS.unix : CONNECTIONS.tcp;
  const connections = new Set<Connection>();
  const idle: Connection[] = [];
  const waiting: Call[] = [];

  const finish = (call: Call, error: unknown, result?: unknown) => {
    if (call.done) return;
    call.done = true;
    call.callback(error, result);
  };

  const dispatch = (call: Call) => {
    const connection = idle.pop();
    if (connection) send(connection, call, true);
    else if (connections.size < limit) send(newConnection(), call, false);
    else waiting.push(call);
  };

  const send = (connection: Connection, call: Call, reused: boolean) => {
    connection.call = call;
    connection.reused = reused;
    connection.chunks = [];
    // A connection keeps the process alive only while it carries a call.
    connection.socket.ref();
    connection.socket.setTimeout(0);
    connection.socket.write(call.text);
  };

  const release = (connection: Connection) => {
    connection.call = undefined;
    const next = waiting.shift();
    if (next) return send(connection, next, true);
    connection.socket.unref();
    connection.socket.setTimeout(IDLE_MS);
    idle.push(connection);
  };

  const newConnection = (): Connection => {
    const { connect } = process.getBuiltinModule('node:net');
    const socket = socketPath !== undefined ? connect(socketPath) : connect({ host: host!, port: port! });
    const connection: Connection = { socket, reused: false, chunks: [] };
    connections.add(connection);
    socket.on('data', (chunk: Buffer) => {
      const call = connection.call;
      if (!call) return void socket.destroy();
      connection.chunks.push(chunk);
      const answer = parseAnswer(connection.chunks);
      if (!answer) return;
      if (answer.close) socket.destroy();
      else release(connection);
      deliver(call, answer);
    });
    socket.on('error', (error) => {
      connection.error = error;
    });
    socket.on('timeout', () => {
      if (!connection.call) socket.destroy();
    });
    socket.on('close', () => {
      connections.delete(connection);
      const at = idle.indexOf(connection);
      if (at >= 0) idle.splice(at, 1);
      const call = connection.call;
      connection.call = undefined;
      if (call && !call.done) {
        // A kept-alive connection the engine closed before this call reached it: once more on a fresh one.
        if (connection.reused && connection.chunks.length === 0 && !call.resent) {
          call.resent = true;
          dispatch(call);
        } else {
          finish(call, connection.error ?? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        }
      }
      const next = waiting.shift();
      if (next) dispatch(next);
    });
    return connection;
  };

  const deliver = (call: Call, answer: Answer) => {
    const ok = call.statusCodes[answer.status] === true;
    if (ok && call.isStream) return finish(call, null, { statusCode: answer.status, headers: answer.headers });
    const text = answer.body.toString();
    const json = parseJson(text) ?? (call.isStream ? text : answer.body);
    if (ok) return finish(call, null, json);
    const cause = json as { message?: string; error?: string };
    const reason = call.statusCodes[answer.status] as string | undefined;
    finish(call, Object.assign(new Error(`(HTTP code ${answer.status}) ${reason || 'unexpected'} - ${cause.message || cause.error || cause} `), { reason, statusCode: answer.status, json }));
  };

  return {
    dial(options: DialOptions, callback: DialCallback) {
      if (options.method !== 'GET') return callback(new Error(`${options.method} ${options.path}: the snapshot's connection only reads`));
      const query = options.options && Object.keys(options.options).length > 0 ? `?${querystring(options.options)}` : '';
      const path = `${prefix}${options.path.replace(/\?$/, '')}${query}`;
      const call: Call = { text: `GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\n\r\n`, isStream: Boolean(options.isStream), statusCodes: options.statusCodes ?? {}, callback, done: false, resent: false };
      const signal = options.abortSignal;
      if (signal) {
        const abort = () => {
          finish(call, Object.assign(new Error('The operation was aborted', { cause: signal.reason }), { name: 'AbortError', code: 'ABORT_ERR' }));
          const at = waiting.indexOf(call);
          if (at >= 0) waiting.splice(at, 1);
          // The answer may still come: the connection goes with the call.
          for (const connection of connections) if (connection.call === call) connection.socket.destroy();
        };
        if (signal.aborted) return abort();
        signal.addEventListener('abort', abort, { once: true });
        const callback_ = call.callback;
        call.callback = (error, result) => {
          signal.removeEventListener('abort', abort);
          callback_(error, result);
        };
      }
      dispatch(call);
    },
  };
}

/** An {@link EngineReader} over a dial (a bound one: see call-bounds.ts). */
export function engineReader(modem: Modem): EngineReader {
  return {
    get: <T>(path: string, statusCodes: Record<number, true | string>, query?: Record<string, unknown>, abortSignal?: AbortSignal) =>
      new Promise<T>((resolve, reject) =>
        modem.dial({ path: `${path}?`, method: 'GET', statusCodes, options: query ?? {}, ...(abortSignal ? { abortSignal } : {}) }, (error, result) => (error ? reject(error) : resolve(result as T))),
      ),
    headersOf: (path, statusCodes, abortSignal) =>
      new Promise((resolve, reject) =>
        modem.dial({ path, method: 'GET', isStream: true, abortSignal, statusCodes }, (error, result) => {
          if (error) return reject(error);
          // dockerode's dial hands over the response stream itself: its body is not needed.
          (result as { resume?: () => void }).resume?.();
          resolve(result as { headers: Record<string, string | string[] | undefined> });
        }),
      ),
  };
}

/** A complete HTTP/1.1 answer from what has arrived, or undefined while it is incomplete (Content-Length or chunked). */
function parseAnswer(chunks: Buffer[]): Answer | undefined {
  const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  if (chunks.length > 1) chunks.splice(0, chunks.length, data);
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine = '', ...lines] = data.toString('latin1', 0, headEnd).split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const close = headers.connection?.toLowerCase() === 'close' || statusLine.startsWith('HTTP/1.0');
  const start = headEnd + 4;
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return { status, headers, body: Buffer.alloc(0), close };
  if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
    const parts: Buffer[] = [];
    let at = start;
    for (;;) {
      const lineEnd = data.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(data.toString('latin1', at, lineEnd), 16);
      if (size === 0) {
        // The last chunk, then trailers (none from the engine) up to an empty line.
        if (data.indexOf('\r\n\r\n', lineEnd) < 0) return undefined;
        return { status, headers, body: Buffer.concat(parts), close };
      }
      if (data.length < lineEnd + 2 + size + 2) return undefined;
      parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    return data.length < start + length ? undefined : { status, headers, body: data.subarray(start, start + length), close };
  }
  // Neither: the body runs to the end of the connection, which the engine never does for a GET.
  return undefined;
}

/** As docker-modem builds a query: objects (filters) as JSON, the rest as text. */
function querystring(options: Record<string, unknown>): string {
  return Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value))}`)
    .join('&');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
