import { createRequire } from 'node:module';
import type Docker from 'dockerode';
import { engineAddress, EngineUnavailableError, tlsRefusal, type EngineAddress } from './address.js';
import { apiVersionRefusal, checkPinnedApiVersion, negotiateApiVersion, type EngineApiVersions } from './api-version.js';
import { boundEngineCalls, boundModem, callTimeoutMs, escapeResourcePaths, type Modem } from './call-bounds.js';
import { engineReader, httpModem, readsOverHttp, type EngineReader } from './engine-get.js';

/** How long the first call may take before the engine counts as not answering. */
const PING_TIMEOUT_MS = 5000;

/** docker-modem fills any connection setting left out from process.env.DOCKER_HOST; naming them all lets only `environment` decide. */
const NO_MODEM_DEFAULTS = { socketPath: undefined, host: undefined, port: undefined, protocol: undefined, ca: undefined, cert: undefined, key: undefined, username: undefined, pathPrefix: undefined, timeout: undefined };

/** A connection to a Docker Engine, to pass on to other calls. */
export interface EngineConnection {
  /**
   * Every call it makes is prefixed with `apiVersion`. Internal: left out of the public
   * declarations, so that a consumer needs no dockerode types.
   * @internal
   */
  docker: Docker;
  /**
   * The GETs of a snapshot (ping, lists, inspects), over node:http where the engine allows it, so
   * that a command that only reads (an unchanged `up`) never loads dockerode.
   * @internal
   */
  reader: EngineReader;
  address: EngineAddress;
  /** The Engine API version the calls use: negotiated with the engine, or DOCKER_API_VERSION. */
  apiVersion: string;
}

/**
 * Connects to the engine at DOCKER_HOST (or the default socket), checks that it answers and
 * settles the API version: the lower of the engine's and ours, or DOCKER_API_VERSION when set.
 * Every later call has a bound (COMPOSE_HTTP_TIMEOUT) and escapes the names it puts in its path.
 * dockerode is loaded on the first call that needs it (see {@link EngineConnection.reader}), so
 * that commands that only read a unix-socket or plain-tcp engine never pay for it.
 */
export async function connectEngine(environment: NodeJS.ProcessEnv = process.env): Promise<EngineConnection> {
  const address = engineAddress(environment);
  const pinned = environment.DOCKER_API_VERSION?.trim() || undefined;
  if (pinned !== undefined) checkPinnedApiVersion(pinned);
  const timeoutMs = callTimeoutMs(environment);
  const agent = await insecureAgent(address);
  const clientFor = (apiVersion: string | undefined): Docker => {
    const client = new (loadDockerode())({ ...NO_MODEM_DEFAULTS, ...address.options, ...agent, version: apiVersion && `v${apiVersion}` } as Docker.DockerOptions);
    escapeResourcePaths(client);
    boundEngineCalls(client, address, timeoutMs);
    return client;
  };
  const overHttp = readsOverHttp(address);
  const modemOf = (client: Docker) => client.modem as unknown as Modem;
  // Asked under the pinned version, the ping is also the check that the engine serves it.
  const engine = await pingEngine(engineReader(overHttp ? boundModem(httpModem(address, pinned), address, timeoutMs) : modemOf(clientFor(pinned))), address);
  const apiVersion = negotiateApiVersion(engine, pinned);
  let docker: Docker | undefined;
  const connection: EngineConnection = {
    get docker() {
      return (docker ??= clientFor(apiVersion));
    },
    reader: engineReader(overHttp ? boundModem(httpModem(address, apiVersion), address, timeoutMs) : { dial: (options, callback) => modemOf(connection.docker).dial(options, callback) }),
    address,
    apiVersion,
  };
  return connection;
}

declare const TSCOMPOSE_DOCKERODE_BUNDLE: boolean | undefined;
const requireHere = typeof require === 'function' ? require : createRequire(import.meta.url);

/**
 * dockerode's client class, loaded on first use: in the sources the package itself; built, the
 * bundle of its own (dist/dockerode.cjs), which the CLI loads through its code cache.
 */
function loadDockerode(): typeof Docker {
  return typeof TSCOMPOSE_DOCKERODE_BUNDLE === 'boolean' ? (requireHere('./dockerode.cjs') as typeof import('./dockerode.js')).Docker : (requireHere('dockerode') as typeof Docker);
}

/**
 * A context with SkipTLSVerify: docker-modem passes no rejectUnauthorized to its requests, but
 * takes an agent, whose options they inherit.
 */
async function insecureAgent(address: EngineAddress): Promise<{ agent?: unknown }> {
  if (address.options.rejectUnauthorized !== false) return {};
  const { Agent } = await import('node:https');
  return { agent: new Agent({ rejectUnauthorized: false }) };
}

/**
 * The engine's newest API version from the `Api-Version` header of `GET /_ping`, as the docker CLI
 * negotiates: the engine answers a ping at once, where `/version` asks containerd and the kernel
 * first (15–150 ms on a busy engine). An engine (or a proxy) that sends no header is asked `/version`.
 */
async function pingEngine(reader: EngineReader, address: EngineAddress): Promise<EngineApiVersions> {
  const abortSignal = AbortSignal.timeout(PING_TIMEOUT_MS);
  try {
    const response = await reader.headersOf('/_ping', { 200: true, 500: 'server error' }, abortSignal);
    const header = response.headers['api-version'];
    return typeof header === 'string' && header !== '' ? { ApiVersion: header } : await reader.get<EngineApiVersions>('/version', { 200: true, 500: 'server error' }, undefined, abortSignal);
  } catch (error) {
    const refusal = apiVersionRefusal(error) ?? tlsRefusal(error, address);
    if (refusal) throw refusal;
    const reason = abortSignal.aborted ? `no answer within ${PING_TIMEOUT_MS / 1000} s` : (error as Error).message.split('\n')[0]!.trim();
    throw new EngineUnavailableError(`no Docker engine answers at ${address.display}: ${reason}`, { hint: unavailableHint(error, address), cause: error });
  }
}

function unavailableHint(error: unknown, address: EngineAddress): string {
  if ((error as NodeJS.ErrnoException).code === 'EACCES') return `you may not use ${address.options.socketPath}: add your user to the docker group, or run as root`;
  if (address.options.protocol === 'ssh') return 'check that the key is in your ssh-agent (SSH_AUTH_SOCK) and that docker runs on that host';
  return 'start the engine (dockerd), or point DOCKER_HOST at one';
}
