import type Docker from 'dockerode';
import { engineAddress, EngineUnavailableError, type EngineAddress } from './address.js';
import { apiVersionRefusal, checkPinnedApiVersion, negotiateApiVersion } from './api-version.js';

/** How long the first call may take before the engine counts as not answering. */
const VERSION_TIMEOUT_MS = 5000;

/** docker-modem fills any connection setting left out from process.env.DOCKER_HOST; naming them all lets only `environment` decide. */
const NO_MODEM_DEFAULTS = { socketPath: undefined, host: undefined, port: undefined, protocol: undefined, ca: undefined, cert: undefined, key: undefined, username: undefined, pathPrefix: undefined, timeout: undefined };

/** @types/dockerode leaves out the options that dockerode's version() takes. */
interface VersionWithAbort {
  version(options: { abortSignal: AbortSignal }): Promise<Docker.DockerVersion>;
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
 * dockerode is loaded here, on first use, so that commands without an engine never pay for it.
 */
export async function connectEngine(environment: NodeJS.ProcessEnv = process.env): Promise<EngineConnection> {
  const address = engineAddress(environment);
  const pinned = environment.DOCKER_API_VERSION?.trim() || undefined;
  if (pinned !== undefined) checkPinnedApiVersion(pinned);
  const { Docker: DockerClient } = await import('./dockerode.js');
  const agent = await insecureAgent(address);
  const clientFor = (apiVersion: string | undefined): Docker =>
    new DockerClient({ ...NO_MODEM_DEFAULTS, ...address.options, ...agent, version: apiVersion && `v${apiVersion}` } as Docker.DockerOptions);
  // Asked under the pinned version, /version is also the check that the engine serves it.
  const engine = await engineVersion(clientFor(pinned), address);
  const apiVersion = negotiateApiVersion(engine, pinned);
  return { docker: clientFor(apiVersion), address, apiVersion };
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

async function engineVersion(docker: Docker, address: EngineAddress): Promise<Docker.DockerVersion> {
  const abortSignal = AbortSignal.timeout(VERSION_TIMEOUT_MS);
  try {
    return await (docker as unknown as VersionWithAbort).version({ abortSignal });
  } catch (error) {
    const refusal = apiVersionRefusal(error);
    if (refusal) throw refusal;
    const reason = abortSignal.aborted ? `no answer within ${VERSION_TIMEOUT_MS / 1000} s` : (error as Error).message.split('\n')[0]!.trim();
    throw new EngineUnavailableError(`no Docker engine answers at ${address.display}: ${reason}`, { hint: unavailableHint(error, address), cause: error });
  }
}

function unavailableHint(error: unknown, address: EngineAddress): string {
  if ((error as NodeJS.ErrnoException).code === 'EACCES') return `you may not use ${address.options.socketPath}: add your user to the docker group, or run as root`;
  if (address.options.protocol === 'ssh') return 'check that the key is in your ssh-agent (SSH_AUTH_SOCK) and that docker runs on that host';
  return 'start the engine (dockerd), or point DOCKER_HOST at one';
}
