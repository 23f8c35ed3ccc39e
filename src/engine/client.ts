import type { IncomingMessage } from 'node:http';
import type Docker from 'dockerode';
import { engineAddress, EngineUnavailableError, tlsRefusal, type EngineAddress } from './address.js';
import { apiVersionRefusal, checkPinnedApiVersion, negotiateApiVersion, type EngineApiVersions } from './api-version.js';
import { boundEngineCalls, callTimeoutMs, escapeResourcePaths } from './call-bounds.js';

/** How long the first call may take before the engine counts as not answering. */
const PING_TIMEOUT_MS = 5000;

/** docker-modem fills any connection setting left out from process.env.DOCKER_HOST; naming them all lets only `environment` decide. */
const NO_MODEM_DEFAULTS = { socketPath: undefined, host: undefined, port: undefined, protocol: undefined, ca: undefined, cert: undefined, key: undefined, username: undefined, pathPrefix: undefined, timeout: undefined };

/** @types/dockerode leaves out the options that dockerode's version() takes. */
interface VersionWithAbort {
  version(options: { abortSignal: AbortSignal }): Promise<Docker.DockerVersion>;
}

/** docker-modem's request function, which @types/dockerode leaves out; with isStream it hands over the response itself, headers included. */
interface ModemDial {
  dial(options: { path: string; method: string; isStream: true; abortSignal: AbortSignal; statusCodes: Record<number, true | string> }, callback: (error: Error | null, response: IncomingMessage) => void): void;
}

/** A connection to a Docker Engine, to pass on to other calls. */
export interface EngineConnection {
  /**
   * Every call it makes is prefixed with `apiVersion`. Internal: left out of the public
   * declarations, so that a consumer needs no dockerode types.
   * @internal
   */
  docker: Docker;
  address: EngineAddress;
  /** The Engine API version the calls use: negotiated with the engine, or DOCKER_API_VERSION. */
  apiVersion: string;
}

/**
 * Connects to the engine at DOCKER_HOST (or the default socket), checks that it answers and
 * settles the API version: the lower of the engine's and ours, or DOCKER_API_VERSION when set.
 * Every later call has a bound (COMPOSE_HTTP_TIMEOUT) and escapes the names it puts in its path.
 * dockerode is loaded here, on first use, so that commands without an engine never pay for it.
 */
export async function connectEngine(environment: NodeJS.ProcessEnv = process.env): Promise<EngineConnection> {
  const address = engineAddress(environment);
  const pinned = environment.DOCKER_API_VERSION?.trim() || undefined;
  if (pinned !== undefined) checkPinnedApiVersion(pinned);
  const timeoutMs = callTimeoutMs(environment);
  const { Docker: DockerClient } = await import('./dockerode.js');
  const agent = await insecureAgent(address);
  const clientFor = (apiVersion: string | undefined): Docker =>
    new DockerClient({ ...NO_MODEM_DEFAULTS, ...address.options, ...agent, version: apiVersion && `v${apiVersion}` } as Docker.DockerOptions);
  // Asked under the pinned version, the ping is also the check that the engine serves it.
  const engine = await pingEngine(clientFor(pinned), address);
  const apiVersion = negotiateApiVersion(engine, pinned);
  const docker = clientFor(apiVersion);
  escapeResourcePaths(docker);
  boundEngineCalls(docker, address, timeoutMs);
  return { docker, address, apiVersion };
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
async function pingEngine(docker: Docker, address: EngineAddress): Promise<EngineApiVersions> {
  const abortSignal = AbortSignal.timeout(PING_TIMEOUT_MS);
  try {
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      (docker.modem as unknown as ModemDial).dial({ path: '/_ping', method: 'GET', isStream: true, abortSignal, statusCodes: { 200: true, 500: 'server error' } }, (error, answer) => (error ? reject(error) : resolve(answer))),
    );
    response.resume();
    const header = response.headers['api-version'];
    return typeof header === 'string' && header !== '' ? { ApiVersion: header } : await (docker as unknown as VersionWithAbort).version({ abortSignal });
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
