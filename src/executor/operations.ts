import { buildInputOf } from '../build-context/build-input.js';
import * as engine from '../engine/calls.js';
import type { EngineConnection } from '../engine/client.js';
import { putContainerFile } from '../engine/container-archive.js';
import { buildImage, pullImage } from '../engine/images.js';
import { engineMessage } from '../engine/responses.js';
import { TscomposeError } from '../errors.js';
import type { ContainerFile, Operation, OperationOf } from '../planner/types.js';
import { ContainerWaitError, waitForContainer } from './container-wait.js';
import type { OperationProgress, OperationRunner } from './run-operations.js';

/**
 * The text of a secret or config a CopyToContainer writes, which the plan names but does not hold;
 * undefined when there is none (the use case makes it from the project).
 */
export type FileTexts = (file: ContainerFile) => string | undefined;

/** What every operation function gets besides its operation. */
interface Call {
  connection: EngineConnection;
  signal: AbortSignal;
  progress: OperationProgress;
  texts: FileTexts;
}

/**
 * Carries out plan operations as Engine API calls: one small function per kind below, each
 * handing the operation's typed fields to the engine, no decisions (compose v2's executor_ops.go).
 */
export class EngineOperationRunner implements OperationRunner {
  constructor(
    private readonly connection: EngineConnection,
    private readonly texts: FileTexts = () => undefined,
  ) {}

  async run(operation: Operation, signal: AbortSignal, progress: OperationProgress = () => {}): Promise<void> {
    try {
      await runOperation(operation, { connection: this.connection, signal, progress, texts: this.texts });
    } catch (error) {
      if (error instanceof TscomposeError || signal.aborted) throw error;
      throw new Error(engineMessage(error), { cause: error });
    }
  }
}

function runOperation(operation: Operation, call: Call): Promise<void> {
  switch (operation.kind) {
    case 'CreateNetwork':
      return createNetwork(operation, call);
    case 'RemoveNetwork':
      return removeNetwork(operation, call);
    case 'CreateContainer':
      return createContainer(operation, call);
    case 'ConnectNetwork':
      return connectNetwork(operation, call);
    case 'DisconnectNetwork':
      return disconnectNetwork(operation, call);
    case 'CopyToContainer':
      return copyToContainer(operation, call);
    case 'StartContainer':
      return startContainer(operation, call);
    case 'StopContainer':
      return stopContainer(operation, call);
    case 'RemoveContainer':
      return removeContainer(operation, call);
    case 'KillContainer':
      return killContainer(operation, call);
    case 'PauseContainer':
      return pauseContainer(operation, call);
    case 'UnpauseContainer':
      return unpauseContainer(operation, call);
    case 'RestartContainer':
      return restartContainer(operation, call);
    case 'WaitContainer':
      return waitContainer(operation, call);
    case 'CreateVolume':
      return createVolume(operation, call);
    case 'RemoveVolume':
      return removeVolume(operation, call);
    case 'PullImage':
      return pullImageOp(operation, call);
    case 'BuildImage':
      return buildImageOp(operation, call);
    case 'RemoveImage':
      return removeImage(operation, call);
  }
}

const createNetwork = (op: OperationOf<'CreateNetwork'>, { connection }: Call) => engine.createNetwork(connection, op.body);
const removeNetwork = (op: OperationOf<'RemoveNetwork'>, { connection, signal }: Call) => engine.removeNetwork(connection, op.network, signal);
const createContainer = (op: OperationOf<'CreateContainer'>, { connection }: Call) => engine.createContainer(connection, op.container, op.body);
const connectNetwork = (op: OperationOf<'ConnectNetwork'>, { connection }: Call) => engine.connectNetwork(connection, op.network, op.body);
const disconnectNetwork = (op: OperationOf<'DisconnectNetwork'>, { connection }: Call) => engine.disconnectNetwork(connection, op.network, op.container);
const startContainer = (op: OperationOf<'StartContainer'>, { connection }: Call) => engine.startContainer(connection, op.container);
const stopContainer = (op: OperationOf<'StopContainer'>, { connection, signal }: Call) => engine.stopContainer(connection, op.container, op.timeout, signal);
const removeContainer = (op: OperationOf<'RemoveContainer'>, { connection }: Call) => engine.removeContainer(connection, op.container, op.removeVolumes === true);
const killContainer = (op: OperationOf<'KillContainer'>, { connection }: Call) => engine.killContainer(connection, op.container, op.signal);
const pauseContainer = (op: OperationOf<'PauseContainer'>, { connection }: Call) => engine.pauseContainer(connection, op.container);
const unpauseContainer = (op: OperationOf<'UnpauseContainer'>, { connection }: Call) => engine.unpauseContainer(connection, op.container);
const restartContainer = (op: OperationOf<'RestartContainer'>, { connection }: Call) => engine.restartContainer(connection, op.container, op.timeout);
const createVolume = (op: OperationOf<'CreateVolume'>, { connection }: Call) => engine.createVolume(connection, op.body);
const removeVolume = (op: OperationOf<'RemoveVolume'>, { connection }: Call) => engine.removeVolume(connection, op.volume);
const pullImageOp = (op: OperationOf<'PullImage'>, { connection, signal, progress }: Call) => pullImage(connection, op.image, { signal, onProgress: progress });

async function buildImageOp(op: OperationOf<'BuildImage'>, { connection, signal, progress }: Call): Promise<void> {
  const input = await buildInputOf(op.body);
  await buildImage(connection, input.stream, { ...op.body.query, dockerfile: input.dockerfile }, { signal, onProgress: progress, registryConfig: input.registryConfig });
}

async function copyToContainer(op: OperationOf<'CopyToContainer'>, { connection, texts }: Call): Promise<void> {
  const text = texts(op.file);
  if (text === undefined) throw new TscomposeError(`no text for ${op.file.from} ${op.file.name}: the project does not give it`, { hint: `its environment: variable must be set when up runs` });
  await putContainerFile(connection, op.container, { path: op.file.target, text, mode: op.file.mode, uid: op.file.uid, gid: op.file.gid });
}

async function removeImage(op: OperationOf<'RemoveImage'>, { connection, progress }: Call): Promise<void> {
  const { kept } = await engine.removeImage(connection, op.image);
  if (kept) progress(`kept: ${kept}`, false);
}

async function waitContainer(op: OperationOf<'WaitContainer'>, { connection, signal, progress }: Call): Promise<void> {
  try {
    await waitForContainer(connection, op.container, op.condition, 'dependency', signal);
  } catch (error) {
    // required: false — compose starts the dependents anyway and only warns.
    if (!op.optional || !(error instanceof ContainerWaitError)) throw error;
    progress(`${error.message} — starting its dependents anyway (required: false)`, false);
  }
}
