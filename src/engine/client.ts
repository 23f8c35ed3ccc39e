import type Docker from 'dockerode';
import { engineAddress, EngineUnavailableError, type EngineAddress } from './address.js';

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
  const { default: DockerClient } = await import('dockerode');
  const docker = new DockerClient(address.options as Docker.DockerOptions);
  try {
    const version = await docker.version();
    return { docker, address, apiVersion: version.ApiVersion };
  } catch (error) {
    throw new EngineUnavailableError(`no Docker engine answers at ${address.display}: ${(error as Error).message}`, {
      hint: 'start the engine (dockerd), or point DOCKER_HOST at one',
      cause: error,
    });
  }
}
