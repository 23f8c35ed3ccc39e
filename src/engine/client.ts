import { createRequire } from 'node:module';
import type Docker from 'dockerode';
import { engineAddress, EngineUnavailableError, type EngineAddress } from './address.js';

/** How long the first call may take before the engine counts as not answering. */
const VERSION_TIMEOUT_MS = 5000;

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface EngineConnection {
  docker: Docker;
  address: EngineAddress;
  /** The engine's own API version (from /version). */
  apiVersion: string;
}

/**
 * Connects to the engine at DOCKER_HOST (or the default socket) and checks that it answers.
 * dockerode is loaded here, on first use, so that commands without an engine never pay for it.
 */
export async function connectEngine(environment: NodeJS.ProcessEnv = process.env): Promise<EngineConnection> {
  const address = engineAddress(environment);
  // Required, not imported: dockerode is CommonJS, and the CLI bundle runs where import() is not available.
  const DockerClient = createRequire(import.meta.url)('dockerode') as typeof Docker;
  const docker = new DockerClient(address.options as Docker.DockerOptions);
  try {
    const version = await withTimeout(docker.version(), VERSION_TIMEOUT_MS, `no answer within ${VERSION_TIMEOUT_MS / 1000} s`);
    return { docker, address, apiVersion: version.ApiVersion };
  } catch (error) {
    throw new EngineUnavailableError(`no Docker engine answers at ${address.display}: ${(error as Error).message}`, {
      hint: 'start the engine (dockerd), or point DOCKER_HOST at one',
      cause: error,
    });
  }
}
