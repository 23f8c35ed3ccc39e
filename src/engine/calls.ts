import type Docker from 'dockerode';
import { TscomposeError } from '../errors.js';
import type { ContainerCreateRequest, NetworkConnectRequest, NetworkCreateRequest, VolumeCreateRequest } from '../planner/types.js';
import type { EngineConnection } from './client.js';
import { engineMessage, ignoreStatus } from './responses.js';

/**
 * One function per Engine API call an operation makes: the requests are the plan's, untouched.
 * What the engine answers that means "already so" (304, 404 on removal) is not an error.
 */

/** Tries at removing a network whose endpoints the engine has not released yet (about 5 s in all). */
const NETWORK_REMOVE_ATTEMPTS = 10;

export async function createNetwork(connection: EngineConnection, request: NetworkCreateRequest): Promise<void> {
  await connection.docker.createNetwork(request as Docker.NetworkCreateOptions);
}

/**
 * Engine 20.10 can report "has active endpoints" for a moment after the last container on the
 * network was removed (more so under load): retry for a few seconds before giving up.
 */
export async function removeNetwork(connection: EngineConnection, name: string, signal: AbortSignal): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ignoreStatus(connection.docker.getNetwork(name).remove(), 404);
      return;
    } catch (error) {
      if (!engineMessage(error).includes('active endpoints')) throw error;
      if (attempt >= NETWORK_REMOVE_ATTEMPTS) throw await explainActiveEndpoints(connection, name, error);
      signal.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/**
 * The engine refuses to remove a network that still has endpoints. When it lists no container
 * on it, the engine's own count is stale (Docker 20.10 under concurrent removals): only a
 * restart of the engine clears it.
 */
async function explainActiveEndpoints(connection: EngineConnection, name: string, error: unknown): Promise<TscomposeError> {
  const details = (await connection.docker.getNetwork(name).inspect().catch(() => undefined)) as { Containers?: Record<string, { Name?: string }> } | undefined;
  const attached = Object.values(details?.Containers ?? {}).map((container) => container.Name ?? '?');
  if (!details || attached.length > 0) {
    return new TscomposeError(`network ${name} still has containers attached: ${attached.join(', ')}`, { hint: 'they belong to something outside this project; disconnect them (docker network disconnect) and run down again', cause: error });
  }
  return new TscomposeError(`the engine will not remove network ${name}: it counts endpoints on it, but no container is attached`, {
    hint: 'a stale endpoint count in the engine (seen with Docker 20.10 after many containers are removed at once); restarting dockerd clears it, then run down again',
    cause: error,
  });
}

export async function createContainer(connection: EngineConnection, name: string, request: ContainerCreateRequest): Promise<void> {
  await connection.docker.createContainer({ ...(request as Docker.ContainerCreateOptions), name });
}

export async function connectNetwork(connection: EngineConnection, network: string, request: NetworkConnectRequest): Promise<void> {
  await connection.docker.getNetwork(network).connect(request);
}

export async function disconnectNetwork(connection: EngineConnection, network: string, container: string): Promise<void> {
  await ignoreStatus(connection.docker.getNetwork(network).disconnect({ Container: container, Force: true }), 404);
}

export async function startContainer(connection: EngineConnection, name: string): Promise<void> {
  // 304: already running.
  await ignoreStatus(connection.docker.getContainer(name).start(), 304);
}

/**
 * Without a timeout the engine uses the container's StopTimeout (its stop_grace_period). An abort
 * ends the request at once: the engine goes on stopping the container on its own.
 */
export async function stopContainer(connection: EngineConnection, name: string, timeout: number | undefined, signal?: AbortSignal): Promise<void> {
  await ignoreStatus(connection.docker.getContainer(name).stop({ ...(timeout === undefined ? {} : { t: timeout }), ...(signal ? { abortSignal: signal } : {}) }), 304, 404);
}

/** `removeVolumes`: its anonymous volumes too (`v=true`). */
export async function removeContainer(connection: EngineConnection, name: string, removeVolumes = false): Promise<void> {
  await ignoreStatus(connection.docker.getContainer(name).remove({ force: true, v: removeVolumes }), 404);
}

/** Without a signal the engine sends SIGKILL. 409: it stopped meanwhile, which is what was asked. */
export async function killContainer(connection: EngineConnection, name: string, signal: string | undefined): Promise<void> {
  await ignoreStatus(connection.docker.getContainer(name).kill(signal === undefined ? {} : { signal }), 409);
}

export async function pauseContainer(connection: EngineConnection, name: string): Promise<void> {
  await connection.docker.getContainer(name).pause();
}

export async function unpauseContainer(connection: EngineConnection, name: string): Promise<void> {
  await connection.docker.getContainer(name).unpause();
}

/** Without a timeout the engine uses the container's StopTimeout (its stop_grace_period). */
export async function restartContainer(connection: EngineConnection, name: string, timeout: number | undefined): Promise<void> {
  await connection.docker.getContainer(name).restart(timeout === undefined ? {} : { t: timeout });
}

export async function createVolume(connection: EngineConnection, request: VolumeCreateRequest): Promise<void> {
  await connection.docker.createVolume(request);
}

export async function removeVolume(connection: EngineConnection, name: string): Promise<void> {
  await ignoreStatus(connection.docker.getVolume(name).remove(), 404);
}

/** Removes an image; as compose, one that containers still use is kept: returns the engine's reason then. */
export async function removeImage(connection: EngineConnection, name: string): Promise<{ kept?: string }> {
  try {
    await ignoreStatus(connection.docker.getImage(name).remove(), 404);
    return {};
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    return { kept: engineMessage(error) };
  }
}
