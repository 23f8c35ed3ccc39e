import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { EngineUnavailableError } from '../../engine/address.js';
import { connectEngine, type EngineConnection } from '../../engine/client.js';
import { observeSwarm, resolveImageDigest } from '../../engine/swarm.js';
import { runStackOperation } from '../../executor/stack-operations.js';
import { lookupCredentials, registryAuthHeader, type RegistryCredentials } from '../../engine/registry-auth.js';
import { LoaderError, TscomposeError } from '../../errors.js';
import { message, type ProgressEvent } from '../../progress/events.js';
import { redactSecrets } from '../../secrets.js';
import { load, type ComposeProject, type LoadOptions, type LoaderWarning } from '../../loader/index.js';
import { registryOf } from '../../planner/image-reference.js';
import { planStack, STACK_IMAGE_LABEL, type ObservedSwarm, type StackContents, type StackConflict, type StackOperation, type StackPlan } from '../../planner/swarm/index.js';
import { waitForStack } from './converge.js';

export type ResolveImage = 'always' | 'changed' | 'never';
export const RESOLVE_IMAGE_VALUES: readonly ResolveImage[] = ['always', 'changed', 'never'];

/** What a stack operation tells while it runs. */
export type StackEvent = { type: 'started'; operation: StackOperation } | { type: 'done'; operation: StackOperation } | { type: 'failed'; operation: StackOperation; error: Error };

export interface StackOptions extends Omit<LoadOptions, 'projectName' | 'target'> {
  /** An engine connection to reuse (library use); otherwise DOCKER_HOST or the default socket. */
  connection?: EngineConnection;
  /** The same progress as the CLI shows it and `--progress json` prints it. */
  onProgress?: (event: ProgressEvent) => void;
  /** The stack's name: the namespace of its services, networks, secrets and configs. */
  stack: string;
  onEvent?: (event: StackEvent) => void;
}

export interface StackDeployOptions extends StackOptions {
  /** A project already loaded with the stack's name as its name (library use). */
  project?: ComposeProject;
  /** `--prune`: remove the stack's services that are no longer in the file. */
  prune?: boolean;
  /** `--with-registry-auth`: send the client's credentials for the images' registries to the swarm. */
  withRegistryAuth?: boolean;
  /** `--resolve-image`: pin each image to the digest its registry has now (`always`, the default), only for new or changed images (`changed`), or never. */
  resolveImage?: ResolveImage;
  /** `--dry-run`: plan only. */
  dryRun?: boolean;
  /** `--detach=false`: return once every service has converged (tasks running, and healthy where they have a healthcheck); else throw a StackConvergeError. */
  wait?: boolean;
  /** Seconds the services have to converge; default: no limit (a failing task ends the wait). */
  waitTimeout?: number;
}

export interface StackDeployResult {
  project: ComposeProject;
  plan: StackPlan;
  warnings: LoaderWarning[];
  /** The engine it ran on; absent for a dry run without an engine. */
  connection?: EngineConnection;
}

/** The plan met what the swarm holds: nothing was created. */
export class StackConflictError extends TscomposeError {
  constructor(readonly conflicts: readonly StackConflict[]) {
    super(conflicts.length === 1 ? conflicts[0]!.message : `${conflicts.length} conflicts with what the swarm holds:\n${conflicts.map((c) => `  - ${c.message}`).join('\n')}`, {
      hint: 'nothing was created; free what is in the way, or change the compose file',
    });
  }
}

/** Loads the compose files as a stack: the stack's name is the project name, checked for what a swarm can do. */
export function loadStack(options: StackOptions): { project: ComposeProject; warnings: LoaderWarning[] } {
  return load({ ...options, projectName: options.stack, target: 'swarm' });
}

/** sha256 of every file-backed secret and config the services use (the planner does no I/O). */
export function stackContents(project: ComposeProject): StackContents {
  const digests = (kind: 'secrets' | 'configs') => {
    const out = new Map<string, string>();
    for (const [key, config] of Object.entries(project[kind])) {
      if (config.external || config.file === undefined) continue;
      const file = String(config.file);
      const path = isAbsolute(file) ? file : resolve(project.working_dir, file);
      try {
        out.set(key, process.getBuiltinModule('node:crypto').createHash('sha256').update(readFileSync(path)).digest('hex'));
      } catch (error) {
        throw new LoaderError(`${kind}.${key}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
      }
    }
    return out;
  };
  return { secrets: digests('secrets'), configs: digests('configs') };
}

/**
 * `stack deploy`: load, one snapshot of the swarm, plan, then each Engine API call in the plan's
 * order. Conflicts stop it before anything is created; an unchanged file changes nothing.
 */
export async function deploy(options: StackDeployOptions): Promise<StackDeployResult> {
  const loaded = options.project ? { project: options.project, warnings: [] } : loadStack(options);
  const { project, warnings } = loaded;
  const contents = stackContents(project);
  const reached = await connectUnlessDryRun(options);
  if (!reached.connection) {
    // As `plan` does: a dry run without an engine plans from empty state and says so.
    warnings.push({ message: `${reached.reason}; planning from empty state` });
    return { project, plan: planStack(project, undefined, contents, { prune: options.prune }), warnings };
  }
  const { connection } = reached;
  const observed = await observeSwarm(connection);
  const credentials = options.withRegistryAuth || options.resolveImage !== 'never' ? await credentialsFor(project) : new Map<string, RegistryCredentials>();
  // Not on a swarm manager, the plan is a conflict: no registry is asked for anything.
  const images = observed.manager ? await resolvedImages(connection, project, observed, options.resolveImage ?? 'always', credentials, warnings) : new Map<string, string>();
  const plan = planStack(project, observed, contents, { prune: options.prune, images });
  if (options.dryRun) return { project, plan, warnings, connection };
  if (plan.conflicts.length > 0) throw new StackConflictError(plan.conflicts);
  const registryAuth = options.withRegistryAuth ? new Map([...credentials].map(([image, credential]) => [image, registryAuthHeader(credential)])) : undefined;
  const startedAt = Date.now();
  await runStackPlan(connection, plan, stackListener(options), registryAuth);
  if (options.wait) {
    options.onProgress?.(message(`waiting until the services of stack ${plan.stack} converge`));
    await waitForStack(connection, plan, { since: startedAt, timeoutSeconds: options.waitTimeout });
  }
  return { project, plan, warnings, connection };
}

/** The engine connection; for a dry run, no engine is fine (the reason instead). */
async function connectUnlessDryRun(options: StackDeployOptions): Promise<{ connection: EngineConnection; reason?: undefined } | { connection?: undefined; reason: string }> {
  try {
    return { connection: options.connection ?? (await connectEngine()) };
  } catch (error) {
    if (options.dryRun && error instanceof EngineUnavailableError) return { reason: error.message };
    throw error;
  }
}

const VERBS: Record<string, [working: string, done: string]> = { Create: ['Creating', 'Created'], Update: ['Updating', 'Updated'], Remove: ['Removing', 'Removed'] };

/** A stack operation event as the progress renderers take it. */
function stackProgressOf(event: StackEvent): ProgressEvent {
  const { operation } = event;
  const [working, done] = VERBS[/^[A-Z][a-z]+/.exec(operation.kind)![0]]!;
  const base = { time: new Date().toISOString(), id: operation.id, resource: operation.resource, kind: operation.kind };
  if (event.type === 'started') return { ...base, status: 'working', text: working };
  if (event.type === 'done') return { ...base, status: 'done', text: done };
  return { ...base, status: 'error', text: 'Error', error: redactSecrets(event.error.message) };
}

/** One listener for the stack's operation events that feeds both `onEvent` and `onProgress`. */
export function stackListener(options: Pick<StackOptions, 'onEvent' | 'onProgress'>): ((event: StackEvent) => void) | undefined {
  const { onEvent, onProgress } = options;
  if (!onEvent && !onProgress) return undefined;
  return (event) => {
    onEvent?.(event);
    onProgress?.(stackProgressOf(event));
  };
}

/** Runs the plan's operations in their order (a valid order of the DAG), stopping at the first failure. */
export async function runStackPlan(connection: EngineConnection, plan: StackPlan, onEvent?: (event: StackEvent) => void, registryAuth?: ReadonlyMap<string, string>): Promise<void> {
  for (const operation of plan.operations) {
    onEvent?.({ type: 'started', operation });
    try {
      await runStackOperation(operation, { connection, ...(registryAuth ? { registryAuth } : {}) });
    } catch (error) {
      onEvent?.({ type: 'failed', operation, error: error as Error });
      throw new StackOperationError(operation, error as Error);
    }
    onEvent?.({ type: 'done', operation });
  }
}

/** An operation the engine refused, with the engine's own message. */
export class StackOperationError extends TscomposeError {
  constructor(
    readonly operation: StackOperation,
    cause: Error,
  ) {
    super(`${operation.kind} ${operation.resource.replace(':', ' ')} failed: ${cause.message}`, { cause, hint: (cause as TscomposeError).hint });
  }
}

/** The client's credentials for each service image's registry (when it has some). */
async function credentialsFor(project: ComposeProject): Promise<Map<string, RegistryCredentials>> {
  const out = new Map<string, RegistryCredentials>();
  for (const image of new Set(Object.values(project.services).map((service) => service.image!))) {
    const lookup = await lookupCredentials(registryOf(image));
    if (lookup.credentials) out.set(image, lookup.credentials);
  }
  return out;
}

/**
 * Service key → image pinned to its registry's digest, as `--resolve-image` asks: every image
 * (`always`), or only those of new services and changed images (`changed`; the others keep
 * the digest they run). An image no registry knows runs as written, with docker's warning.
 */
async function resolvedImages(connection: EngineConnection, project: ComposeProject, observed: ObservedSwarm, mode: ResolveImage, credentials: ReadonlyMap<string, RegistryCredentials>, warnings: LoaderWarning[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (mode === 'never') return out;
  const digests = new Map<string, Promise<string | undefined>>();
  for (const service of Object.values(project.services)) {
    const image = service.image!;
    const running = observed.services.find((candidate) => candidate.name === `${project.name}_${service.name}`);
    if (mode === 'changed' && running && running.labels[STACK_IMAGE_LABEL] === image) {
      out.set(service.name, running.image);
      continue;
    }
    if (!digests.has(image)) digests.set(image, resolveImageDigest(connection, image, credentials.get(image)));
    const pinned = await digests.get(image)!;
    if (pinned) out.set(service.name, pinned);
  }
  for (const [image, pinned] of digests) {
    if (!(await pinned)) warnings.push({ message: `image ${image} could not be accessed on a registry to record its digest; each node will access ${image} independently, possibly running different versions` });
  }
  return out;
}
