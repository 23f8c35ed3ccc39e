import type Docker from 'dockerode';
import { TscomposeError } from '../errors.js';
import type { OperationProgress, OperationRunner } from '../executor/run-operations.js';
import type { ImageBuild, Operation } from '../planner/types.js';
import type { EngineConnection } from './client.js';
import { buildImage, pullImage } from './images.js';
import { engineMessage, ignoreStatus } from './responses.js';

/** What a build sends: the context's tar stream, the Dockerfile's path inside it, and the X-Registry-Config for its base images. */
export interface BuildInput {
  stream: NodeJS.ReadableStream;
  dockerfile: string;
  registryConfig?: string;
}

/** Makes a build's input: the executor does it, as it reads the files. */
export type BuildContextSource = (build: ImageBuild) => Promise<BuildInput>;

/** Tries at removing a network whose endpoints the engine has not released yet (about 5 s in all). */
const NETWORK_REMOVE_ATTEMPTS = 10;

/** How often a wait operation looks at the container again. */
const WAIT_POLL_MS = 100;


/** A container that did not reach the state another one waits for. */
export class ContainerWaitError extends TscomposeError {}

/** Carries out plan operations as Engine API calls through dockerode. */
export class EngineOperationRunner implements OperationRunner {
  private readonly docker: Docker;

  constructor(
    private readonly connection: EngineConnection,
    private readonly buildContext?: BuildContextSource,
  ) {
    this.docker = connection.docker;
  }

  async run(operation: Operation, signal: AbortSignal, progress: OperationProgress = () => {}): Promise<void> {
    try {
      await this.call(operation, signal, progress);
    } catch (error) {
      if (error instanceof TscomposeError || signal.aborted) throw error;
      throw new Error(engineMessage(error), { cause: error });
    }
  }

  private async call(operation: Operation, signal: AbortSignal, progress: OperationProgress): Promise<void> {
    const docker = this.docker;
    switch (operation.kind) {
      case 'PullImage':
        await pullImage(this.connection, operation.image!, { signal, onProgress: progress });
        return;
      case 'RemoveImage':
        try {
          await ignoreStatus(docker.getImage(operation.image!).remove(), 404);
        } catch (error) {
          // As compose: an image other containers still use is kept, and down goes on.
          if ((error as { statusCode?: number }).statusCode !== 409) throw error;
          progress(`kept: ${engineMessage(error)}`, false);
        }
        return;
      case 'BuildImage': {
        if (!this.buildContext) throw new TscomposeError(`cannot build ${operation.image}: no build context source was given`);
        const build = operation.body as ImageBuild;
        const context = await this.buildContext(build);
        await buildImage(this.connection, context.stream, { ...build.query, dockerfile: context.dockerfile }, { signal, onProgress: progress, registryConfig: context.registryConfig });
        return;
      }
      case 'CreateNetwork':
        await docker.createNetwork(operation.body as Docker.NetworkCreateOptions);
        return;
      case 'RemoveNetwork':
        await this.removeNetwork(operation.network!, signal);
        return;
      case 'CreateContainer':
        await docker.createContainer({ ...(operation.body as Docker.ContainerCreateOptions), name: operation.container! });
        return;
      case 'ConnectNetwork':
        await docker.getNetwork(operation.network!).connect(operation.body as object);
        return;
      case 'DisconnectNetwork':
        await ignoreStatus(docker.getNetwork(operation.network!).disconnect({ Container: operation.container!, Force: true }), 404);
        return;
      case 'StartContainer':
        // 304: already running.
        await ignoreStatus(docker.getContainer(operation.container!).start(), 304);
        return;
      case 'StopContainer':
        // Without a timeout the engine uses the container's StopTimeout (its stop_grace_period).
        await ignoreStatus(docker.getContainer(operation.container!).stop(operation.timeout === undefined ? {} : { t: operation.timeout }), 304, 404);
        return;
      case 'RemoveContainer':
        await ignoreStatus(docker.getContainer(operation.container!).remove({ force: true, v: operation.removeVolumes === true }), 404);
        return;
      case 'CreateVolume':
        await docker.createVolume(operation.body as Docker.VolumeCreateOptions);
        return;
      case 'RemoveVolume':
        await ignoreStatus(docker.getVolume(operation.volume!).remove(), 404);
        return;
      case 'WaitContainer':
        try {
          await this.waitFor(operation, signal);
        } catch (error) {
          // required: false — compose starts the dependents anyway and only warns.
          if (!operation.optional || !(error instanceof ContainerWaitError)) throw error;
          progress(`${error.message} — starting its dependents anyway (required: false)`, false);
        }
        return;
    }
  }

  /**
   * Engine 20.10 can report "has active endpoints" for a moment after the last container on the
   * network was removed (more so under load): retry for a few seconds before giving up.
   */
  private async removeNetwork(name: string, signal: AbortSignal): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await ignoreStatus(this.docker.getNetwork(name).remove(), 404);
        return;
      } catch (error) {
        if (!engineMessage(error).includes('active endpoints')) throw error;
        if (attempt >= NETWORK_REMOVE_ATTEMPTS) throw await this.explainActiveEndpoints(name, error);
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
  private async explainActiveEndpoints(name: string, error: unknown): Promise<unknown> {
    const details = (await this.docker.getNetwork(name).inspect().catch(() => undefined)) as { Containers?: Record<string, { Name?: string }> } | undefined;
    const attached = Object.values(details?.Containers ?? {}).map((container) => container.Name ?? '?');
    if (!details || attached.length > 0) {
      return new TscomposeError(`network ${name} still has containers attached: ${attached.join(', ')}`, { hint: 'they belong to something outside this project; disconnect them (docker network disconnect) and run down again', cause: error });
    }
    return new TscomposeError(`the engine will not remove network ${name}: it counts endpoints on it, but no container is attached`, {
      hint: 'a stale endpoint count in the engine (seen with Docker 20.10 after many containers are removed at once); restarting dockerd clears it, then run down again',
      cause: error,
    });
  }

  /** Polls the container until it is in the state its dependents wait for, or can no longer get there. */
  private async waitFor(operation: Operation, signal: AbortSignal): Promise<void> {
    const name = operation.container!;
    const container = this.docker.getContainer(name);
    for (;;) {
      signal.throwIfAborted();
      const { State: state } = await container.inspect();
      const health = (state as { Health?: { Status: string; Log?: { Output: string }[] } }).Health;
      switch (operation.condition) {
        case 'running':
          if (state.Running || state.Status === 'exited') return;
          break;
        case 'healthy':
          if (!health) throw new ContainerWaitError(`container ${name} has no healthcheck, so it can never be healthy`, { hint: 'add a healthcheck: to the service, or depend on it with condition: service_started' });
          if (health.Status === 'healthy') return;
          if (health.Status === 'unhealthy') throw new ContainerWaitError(`container ${name} is unhealthy${lastHealthOutput(health)}`);
          if (!state.Running) throw new ContainerWaitError(`container ${name} exited with code ${state.ExitCode} before it became healthy`);
          break;
        case 'exited-successfully':
          if (state.Status === 'exited') {
            if (state.ExitCode === 0) return;
            throw new ContainerWaitError(`container ${name} exited with code ${state.ExitCode}; its dependents wait for it to complete successfully`);
          }
          break;
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  }
}

function lastHealthOutput(health: { Log?: { Output: string }[] }): string {
  const output = health.Log?.at(-1)?.Output?.trim();
  return output ? ` (last check: ${output.split('\n')[0]})` : '';
}

