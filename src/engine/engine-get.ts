import { request, type IncomingMessage, type RequestOptions } from 'node:http';
import type { EngineAddress } from './address.js';
import type { Modem } from './call-bounds.js';

/** The read-only calls of a snapshot (ping, lists, inspects), without dockerode. */
export interface EngineReader {
  /** GET `path` (query in `query`); the engine's JSON, or an error shaped as dockerode's (`statusCode`, `json`) for an answer not in `statusCodes`. */
  get<T>(path: string, statusCodes: Record<number, true | string>, query?: Record<string, unknown>, abortSignal?: AbortSignal): Promise<T>;
  /** The raw answer to a GET, headers included (the ping reads the API version from them); its body is the caller's to consume. */
  head(path: string, statusCodes: Record<number, true | string>, abortSignal: AbortSignal): Promise<IncomingMessage>;
}

/** Whether GETs to this engine go over node:http: a unix socket or plain tcp. TLS and ssh:// engines are read through dockerode, which handles them. */
export function readsOverHttp(address: EngineAddress): boolean {
  const { socketPath, protocol } = address.options;
  return typeof socketPath === 'string' || protocol === 'http';
}

/**
 * A dial over node:http for the GETs of a snapshot: loading dockerode (about 0.9 MB with ssh2 and
 * grpc) cost an unchanged `up` more than the calls themselves. Answers and errors have
 * docker-modem's shapes, so that the call bounds and the callers treat them alike.
 */
export function httpModem(address: EngineAddress, apiVersion: string | undefined): Modem {
  const { socketPath, host, port } = address.options as { socketPath?: string; host?: string; port?: number };
  const prefix = apiVersion ? `/v${apiVersion}` : '';
  return {
    dial(options, callback) {
      let finished = false;
      const finish = (error: unknown, result?: unknown) => {
        if (finished) return;
        finished = true;
        callback(error, result);
      };
      const query = options.options && Object.keys(options.options).length > 0 ? `?${querystring(options.options)}` : '';
      const path = `${prefix}${options.path.replace(/\?$/, '')}${query}`;
      const target = socketPath !== undefined ? { socketPath } : { host, port };
      // servername '' (TLS only): otherwise the agent tests the host for an IP address, whose first use compiles Node's IPv6 pattern (~4 ms).
      const requestOptions: RequestOptions & { servername: string } = { ...target, path, method: options.method, servername: '', ...(options.abortSignal ? { signal: options.abortSignal } : {}) };
      const req = request(requestOptions, (res) => {
        const statusCodes = options.statusCodes ?? {};
        if (options.isStream && statusCodes[res.statusCode!] === true) return finish(null, res);
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', finish);
        res.on('end', () => {
          const buffer = Buffer.concat(chunks);
          const text = buffer.toString();
          const json = parseJson(text) ?? (options.isStream ? text : buffer);
          if (statusCodes[res.statusCode!] === true) return finish(null, json);
          const cause = json as { message?: string; error?: string };
          const error = Object.assign(new Error(`(HTTP code ${res.statusCode}) ${(statusCodes[res.statusCode!] as string | undefined) || 'unexpected'} - ${cause.message || cause.error || cause} `), {
            reason: statusCodes[res.statusCode!],
            statusCode: res.statusCode,
            json,
          });
          finish(error);
        });
      });
      req.on('error', finish);
      req.end();
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
    head: (path, statusCodes, abortSignal) =>
      new Promise<IncomingMessage>((resolve, reject) => modem.dial({ path, method: 'GET', isStream: true, abortSignal, statusCodes }, (error, result) => (error ? reject(error) : resolve(result as IncomingMessage)))),
  };
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
