import { resolve } from 'node:path';
import { attachContainer, type AttachedIo } from '../engine/container-exec.js';
import type { EngineConnection } from '../engine/client.js';
import { observeEngine } from '../engine/observed-state.js';
import { EngineOperationRunner } from '../executor/operations.js';
import { runOperations } from '../executor/run-operations.js';
import { PortFailure } from '../loader/ports.js';
import { parseShortVolume, VolumeFailure } from '../loader/volumes.js';
import { parseShortPort, type ComposeProject, type LoadOptions, type LoaderWarning, type ServiceConfig, type ServiceVolumeConfig } from '../loader/index.js';
import { imagesNeedingAge, planRun, type Operation, type Plan, type PlanOptions } from '../planner/index.js';
import { fileTexts } from '../loader/file-objects.js';
import { shellWords } from '../loader/shell-words.js';
import { UsageError } from '../errors.js';
import { connectOrReuse, operationListener, PlanConflictError, type EngineOptions } from './session.js';
import { loadProject, requireServices } from './target.js';

export interface RunOptions extends LoadOptions, EngineOptions, Pick<PlanOptions, 'pull' | 'build' | 'noBuild'> {
  /** A project already loaded (library use). */
  project?: ComposeProject;
  service: string;
  /** The command; absent or empty: the service's own. */
  command?: readonly string[];
  /** `--entrypoint`: shell words, as compose splits them. */
  entrypoint?: string;
  /** `--name`; default `<project>-<service>-run-<12 hex digits>`. */
  name?: string;
  /** `-e`: variables over the service's. */
  env?: Readonly<Record<string, string>>;
  /** `-l`: labels added to the one-off. */
  labels?: Readonly<Record<string, string>>;
  /** `-v`: bind mounts or volumes added, `SRC:DST[:MODE]`. */
  volumes?: readonly string[];
  /** `-p`: ports published, in the short syntax of `ports:`. */
  publish?: readonly string[];
  /** `--service-ports`: publish the service's own ports (otherwise none). */
  servicePorts?: boolean;
  /** `--use-aliases`: the service's network aliases on the one-off. */
  useAliases?: boolean;
  /** `--no-deps`: do not start the services it depends on. */
  noDeps?: boolean;
  user?: string;
  /** `-w`: the command's working directory (`workingDir` is where the compose file is looked for). */
  workdir?: string;
  /** `--rm`: removed when it exits. */
  remove?: boolean;
  /** `-d`: start it and return its name. */
  detach?: boolean;
  /** Wire it to these streams (the CLI does, with a tty on a terminal); otherwise its output is collected. */
  io?: AttachedIo;
}

export interface RunResult {
  /** The one-off container's name. */
  container: string;
  /** Its exit code; 0 with detach. */
  exitCode: number;
  /** Its output, when no streams were given. */
  stdout: string;
  stderr: string;
  plan: Plan;
  warnings: LoaderWarning[];
}

export interface RunPlanning {
  project: ComposeProject;
  plan: Plan;
  warnings: LoaderWarning[];
  connection: EngineConnection;
  /** Name of the one-off container. */
  container: string;
}

/**
 * The one planning function of `run`, its dry run's and its real run's: the dependencies as
 * `up` of them plans them (unless `noDeps`), then the one-off container of the service
 * (`com.docker.compose.oneoff=True`) with run's settings.
 */
export async function planRunCommand(options: RunOptions): Promise<RunPlanning> {
  const { project, warnings } = loadProject(options);
  requireServices(project, [options.service]);
  const connection = await connectOrReuse(options);
  const observed = await observeEngine(connection, project.name, { imagesNeedingAge: imagesNeedingAge(project) });
  const container = options.name ?? `${project.name}-${options.service}-run-${process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex')}`;
  const plan = planRun(project, observed, {
    oneOff: oneOffService(project.services[options.service]!, options),
    name: container,
    noDeps: options.noDeps,
    useAliases: options.useAliases,
    autoRemove: options.remove,
    interactive: options.io?.stdin !== undefined,
    tty: options.io?.tty,
    pull: options.pull,
    build: options.build,
    noBuild: options.noBuild,
  });
  return { project, plan, warnings, connection, container };
}

/**
 * `run`: a one-off container of a service, on its networks, its dependencies started first (the
 * plan `planRunCommand` makes, which `run --dry-run` prints). Returns its exit code, and its
 * output when no streams were given. An aborted `signal` rejects with its reason; with `remove`
 * the one-off is removed then, as after any failure.
 */
export async function run(options: RunOptions): Promise<RunResult> {
  const { project, plan, warnings, connection, container } = await planRunCommand(options);
  if (plan.conflicts.length > 0) throw new PlanConflictError(plan.conflicts);
  const runner = new EngineOperationRunner(connection, fileTexts(project));
  const onEvent = operationListener(options);
  const { signal } = options;
  const start = { ...plan.operations.at(-1)!, dependsOn: [] };
  try {
    await runOperations(plan.operations.slice(0, -1), runner, { concurrency: options.concurrency, onEvent, signal });
    if (options.detach) {
      await runOperations([start], runner, { onEvent, signal });
      return { container, exitCode: 0, stdout: '', stderr: '', plan, warnings };
    }
    const collected = { stdout: '', stderr: '' };
    const io = options.io ?? { stdout: collector(collected, 'stdout'), stderr: collector(collected, 'stderr') };
    const attached = await attachContainer(connection, container, io, { autoRemoved: options.remove === true, signal });
    await runOperations([start], runner, { onEvent, signal });
    await attached.output;
    const exitCode = await attached.exitCode;
    return { container, exitCode, ...collected, plan, warnings };
  } catch (error) {
    // With --rm nothing of the run stays, not after a failure or an abort either (without the signal, so that the removal runs).
    if (options.remove) await runOperations([removal(container)], runner, { onEvent }).catch(() => undefined);
    // dockerode rejects an aborted request with an AbortError of its own: the caller gets the signal's reason.
    signal?.throwIfAborted();
    throw error;
  }
}

/** The one-off's removal with its anonymous volumes, as the engine's auto-remove does. */
function removal(container: string): Operation {
  return { id: `remove-container:${container}`, kind: 'RemoveContainer', resource: `container:${container}`, dependsOn: [], cause: 'run --rm', container, removeVolumes: true };
}

/** A `-v` entry in the long form of the file's volumes; a relative bind source is from the current directory, as compose resolves it. */
function runVolume(entry: string): ServiceVolumeConfig {
  let volume: ServiceVolumeConfig;
  try {
    volume = parseShortVolume(entry) as unknown as ServiceVolumeConfig;
  } catch (error) {
    if (error instanceof VolumeFailure) throw new UsageError(`-v: ${error.message}`, { hint: 'write [SOURCE:]TARGET[:ro|rw|…]' });
    throw error;
  }
  return volume.type === 'bind' && volume.source !== undefined ? { ...volume, source: resolve(volume.source) } : volume;
}

function collector(into: { stdout: string; stderr: string }, name: 'stdout' | 'stderr'): NodeJS.WritableStream {
  const decoder = new TextDecoder();
  return { write: (chunk: Buffer) => ((into[name] += decoder.decode(chunk, { stream: true })), true) } as unknown as NodeJS.WritableStream;
}

/** The service as the one-off runs it: run's command, entrypoint, variables, user, directory, ports, volumes and labels over the file's. */
function oneOffService(service: ServiceConfig, options: RunOptions): ServiceConfig {
  let ports = options.servicePorts ? service.ports : [];
  try {
    ports = [...ports, ...(options.publish ?? []).flatMap((entry) => parseShortPort(entry))];
  } catch (error) {
    if (error instanceof PortFailure) throw new UsageError(`-p: ${error.message}`, { hint: error.hint });
    throw error;
  }
  const added = (options.volumes ?? []).map(runVolume);
  // A -v entry replaces the service's mount at the same place, as compose's mounts by target do.
  const volumes = [...(service.volumes ?? []).filter((volume) => !added.some((entry) => entry.target === volume.target)), ...added];
  return {
    ...service,
    ports,
    ...(options.command && options.command.length > 0 ? { command: [...options.command] } : {}),
    ...(options.entrypoint !== undefined ? { entrypoint: shellWords(options.entrypoint) } : {}),
    environment: { ...service.environment, ...options.env },
    labels: { ...service.labels, ...options.labels },
    ...(options.user ? { user: options.user } : {}),
    ...(options.workdir ? { working_dir: options.workdir } : {}),
    ...(added.length > 0 ? { volumes } : {}),
  };
}
