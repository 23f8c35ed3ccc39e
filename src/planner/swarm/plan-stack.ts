import { isAbsolute, resolve } from 'node:path';
import type { ComposeProject } from '../../loader/model.js';
import { serviceSpec } from './service-spec.js';
import {
  STACK_NAMESPACE_LABEL,
  STACK_PLAN_FORMAT_VERSION,
  STACK_SPEC_HASH_LABEL,
  type ObservedSwarm,
  type ObservedSwarmObject,
  type PlannedStackNetwork,
  type PlannedStackObject,
  type PlannedStackService,
  type StackConflict,
  type StackOperation,
  type StackPlan,
} from './types.js';

export interface StackPlanOptions {
  /** `--prune`: remove the stack's services that are no longer in the file. */
  prune?: boolean;
  /** Service key → image pinned to a digest (`--resolve-image`), resolved by the caller. */
  images?: ReadonlyMap<string, string>;
}

/** sha256 (hex) of each secret's and config's content, by key: read by the caller, so that planning does no I/O. */
export interface StackContents {
  secrets: ReadonlyMap<string, string>;
  configs: ReadonlyMap<string, string>;
}

export type OperationDraft = StackOperation extends infer O ? (O extends StackOperation ? Omit<O, 'id' | 'dependsOn'> : never) : never;

/** `CreateService` + `service:shop_web` → `create-service:shop_web`. */
function operationId(operation: OperationDraft): string {
  const verb = operation.kind.replace(/[A-Z]/g, (letter, index: number) => (index === 0 ? '' : '-') + letter.toLowerCase());
  return `${verb}:${operation.resource.slice(operation.resource.indexOf(':') + 1)}`;
}
/** An operation before numbering: what it needs by resource name, or every service change. */
export interface Draft {
  operation: OperationDraft;
  needs: readonly string[] | 'every service change';
}

const EMPTY_SWARM: ObservedSwarm = { manager: true, services: [], networks: [], secrets: [], configs: [] };

/** What the phases of planStack share: the inputs, and the plan as it grows. */
interface Planning {
  project: ComposeProject;
  stack: string;
  observed: ObservedSwarm;
  /** Whether there is an observed state (without one, external resources cannot be checked). */
  isObserved: boolean;
  conflicts: StackConflict[];
  warnings: string[];
  drafts: Draft[];
}

const SERVICE_PRUNED = 'not in the compose file (--prune)';

/**
 * Plans `stack deploy`: from the project (loaded with the stack's name as project name) and the
 * swarm's observed state to the Engine API calls that make the swarm hold the stack. Pure.
 * Secrets and configs are immutable on the engine: their names carry a digest of the content,
 * so new content is a new object and the services using it roll to it.
 */
export function planStack(project: ComposeProject, observedSwarm: ObservedSwarm | undefined, contents: StackContents, options: StackPlanOptions = {}): StackPlan {
  const planning: Planning = { project, stack: project.name, observed: observedSwarm ?? EMPTY_SWARM, isObserved: observedSwarm !== undefined, conflicts: [], warnings: [], drafts: [] };
  if (!planning.observed.manager) planning.conflicts.push({ kind: 'not-a-swarm-manager', message: 'the engine is not a swarm manager: a stack needs one (docker swarm init, or DOCKER_HOST of a manager)', resource: `stack:${planning.stack}` });
  const networks = planNetworks(planning);
  const secrets = planObjects(planning, 'secrets', contents.secrets);
  const configs = planObjects(planning, 'configs', contents.configs);
  const services = planServices(planning, { secrets: secrets.names, configs: configs.names }, options);
  removeStaleVersions(planning, 'secrets', secrets.names);
  removeStaleVersions(planning, 'configs', configs.names);
  return {
    formatVersion: STACK_PLAN_FORMAT_VERSION,
    target: 'swarm',
    stack: planning.stack,
    observed: planning.isObserved,
    networks,
    secrets: secrets.planned,
    configs: configs.planned,
    services,
    operations: planning.conflicts.length > 0 ? [] : numbered(planning.drafts),
    conflicts: planning.conflicts,
    warnings: planning.warnings,
  };
}

const belongsTo = (stack: string) => (object: { labels: Record<string, string> }) => object.labels[STACK_NAMESPACE_LABEL] === stack;

/** The networks the services use: overlay unless the file names a driver; external ones must be on the swarm, swarm-scoped. */
function planNetworks({ project, stack, observed, isObserved, conflicts, drafts }: Planning): PlannedStackNetwork[] {
  const ours = belongsTo(stack);
  const used = new Set(Object.values(project.services).flatMap((service) => Object.keys(service.networks ?? {})));
  const networks: PlannedStackNetwork[] = [];
  for (const key of [...used].sort()) {
    const config = project.networks[key]!;
    const existing = observed.networks.find((network) => network.name === config.name);
    const driver = config.driver ?? 'overlay';
    const resource = `network:${config.name}`;
    if (config.external) {
      networks.push({ key, name: config.name, action: 'external', cause: 'external', driver: existing?.driver ?? driver, ...(existing ? { existingId: existing.id } : {}) });
      if (isObserved && !existing) conflicts.push({ kind: 'external-missing', message: `external network "${config.name}" is not on the swarm`, resource });
      else if (existing && existing.scope !== 'swarm') conflicts.push({ kind: 'external-missing', message: `external network "${config.name}" has scope "${existing.scope}"; swarm services need a swarm-scoped network (overlay)`, resource });
      continue;
    }
    if (existing) {
      if (!ours(existing)) conflicts.push({ kind: 'name-taken', message: `network "${config.name}" exists but does not belong to stack ${stack}`, resource });
      networks.push({ key, name: config.name, action: 'keep', cause: 'exists', driver: existing.driver ?? driver, existingId: existing.id });
      continue;
    }
    networks.push({ key, name: config.name, action: 'create', cause: 'not found', driver });
    const ipam = config.ipam?.config?.length
      ? { IPAM: { Driver: config.ipam.driver ?? 'default', Config: config.ipam.config.map((pool) => ({ ...(pool.subnet ? { Subnet: pool.subnet } : {}), ...(pool.ip_range ? { IPRange: pool.ip_range } : {}), ...(pool.gateway ? { Gateway: pool.gateway } : {}) })) } }
      : {};
    const body = { Name: config.name, Driver: driver, Options: config.driver_opts ?? {}, Labels: { ...config.labels, [STACK_NAMESPACE_LABEL]: stack }, Attachable: config.attachable ?? false, Internal: config.internal ?? false, Scope: 'swarm' as const, ...ipam };
    drafts.push({ operation: { kind: 'CreateNetwork', resource, cause: 'not found', body }, needs: [] });
  }
  return networks;
}

const OBJECT_KIND = { secrets: { resource: 'secret', create: 'CreateSecret', remove: 'RemoveSecret' }, configs: { resource: 'config', create: 'CreateConfig', remove: 'RemoveConfig' } } as const;

/** The secrets (or configs) the services use, by versioned name: `<name>-<12 hex digits of the content's sha256>`. */
function planObjects({ project, stack, observed, isObserved, conflicts, drafts }: Planning, kind: 'secrets' | 'configs', digests: ReadonlyMap<string, string>): { planned: PlannedStackObject[]; names: Map<string, string> } {
  const ours = belongsTo(stack);
  const { resource: noun, create } = OBJECT_KIND[kind];
  const used = new Set(Object.values(project.services).flatMap((service) => (Array.isArray(service[kind]) ? (service[kind] as unknown[]) : []).map((entry) => (typeof entry === 'string' ? entry : (entry as { source: string }).source))));
  const planned: PlannedStackObject[] = [];
  const names = new Map<string, string>();
  for (const key of [...used].sort()) {
    const config = project[kind][key]!;
    const baseName = String(config.name);
    if (config.external) {
      const existing = observed[kind].find((object) => object.name === baseName);
      names.set(key, baseName);
      planned.push({ key, name: baseName, action: 'external', cause: 'external', ...(existing ? { existingId: existing.id } : {}) });
      if (isObserved && !existing) conflicts.push({ kind: 'external-missing', message: `external ${noun} "${baseName}" is not on the swarm`, resource: `${noun}:${baseName}` });
      continue;
    }
    const digest = digests.get(key)!;
    const name = `${baseName}-${digest.slice(0, 12)}`;
    names.set(key, name);
    const existing = observed[kind].find((object) => object.name === name);
    if (existing) {
      planned.push({ key, name, action: 'keep', cause: 'same content', digest, existingId: existing.id });
      continue;
    }
    const cause = observed[kind].some((object) => ours(object) && object.name.startsWith(`${baseName}-`)) ? 'new content' : 'not found';
    planned.push({ key, name, action: 'create', cause, digest });
    const file = String(config.file);
    const body = { Name: name, Labels: { ...(config.labels as Record<string, string> | undefined), [STACK_NAMESPACE_LABEL]: stack }, file: isAbsolute(file) ? file : resolve(project.working_dir, file), digest };
    drafts.push({ operation: { kind: create, resource: `${noun}:${name}`, cause, body }, needs: [] });
  }
  return { planned, names };
}

/** Each service: created, kept when the hash of its spec is the same, else updated in place; with --prune, the stack's others removed. */
function planServices(planning: Planning, objectNames: { secrets: ReadonlyMap<string, string>; configs: ReadonlyMap<string, string> }, options: StackPlanOptions): PlannedStackService[] {
  const { project, stack, observed, conflicts, warnings, drafts } = planning;
  const ours = belongsTo(stack);
  const heldPorts = new Map<string, string>();
  for (const service of observed.services.filter((candidate) => !ours(candidate))) {
    for (const port of service.ports) if (port.mode === 'ingress') heldPorts.set(`${port.protocol}/${port.published}`, service.name);
  }
  const planned: PlannedStackService[] = [];
  for (const service of Object.values(project.services).sort((a, b) => a.name.localeCompare(b.name))) {
    const { spec, summary } = serviceSpec(service, { stack, project, ...objectNames, ...(options.images ? { images: options.images } : {}) });
    const resource = `service:${spec.Name}`;
    for (const port of summary.ports) {
      const holder = port.published === undefined ? undefined : heldPorts.get(`${port.protocol}/${port.published}`);
      if (holder && port.mode === 'ingress') conflicts.push({ kind: 'port-in-use', message: `port ${port.published}/${port.protocol} of service ${spec.Name} is published by service ${holder} on the swarm`, resource });
    }
    const needs = [
      ...spec.TaskTemplate.Networks.map((network) => `network:${network.Target}`),
      ...spec.TaskTemplate.ContainerSpec.Secrets.map((secret) => `secret:${secret.SecretName}`),
      ...spec.TaskTemplate.ContainerSpec.Configs.map((config) => `config:${config.ConfigName}`),
    ];
    const existing = observed.services.find((candidate) => candidate.name === spec.Name);
    if (!existing) {
      planned.push({ ...summary, action: 'create', cause: 'not found' });
      drafts.push({ operation: { kind: 'CreateService', resource, cause: 'not found', body: spec }, needs });
    } else if (!ours(existing)) {
      conflicts.push({ kind: 'name-taken', message: `service "${spec.Name}" exists but does not belong to stack ${stack}`, resource });
      planned.push({ ...summary, action: 'keep', cause: 'belongs to another stack', existingId: existing.id });
    } else if (existing.labels[STACK_SPEC_HASH_LABEL] === summary.specHash) {
      planned.push({ ...summary, action: 'keep', cause: 'unchanged', existingId: existing.id });
    } else {
      const cause = existing.labels[STACK_SPEC_HASH_LABEL] === undefined ? 'not deployed by tscompose' : 'spec changed';
      planned.push({ ...summary, action: 'update', cause, existingId: existing.id });
      drafts.push({ operation: { kind: 'UpdateService', resource, cause, engineId: existing.id, version: existing.version, body: spec }, needs });
    }
  }
  for (const existing of observed.services.filter((service) => ours(service) && !planned.some((wanted) => wanted.name === service.name))) {
    if (!options.prune) {
      warnings.push(`service ${existing.name} is no longer in the compose file; --prune removes it`);
      continue;
    }
    planned.push({ key: existing.name.slice(stack.length + 1), name: existing.name, action: 'remove', cause: SERVICE_PRUNED, mode: existing.mode, networks: [], ports: [], specHash: existing.labels[STACK_SPEC_HASH_LABEL] ?? '', existingId: existing.id });
    drafts.push({ operation: { kind: 'RemoveService', resource: `service:${existing.name}`, cause: SERVICE_PRUNED, engineId: existing.id }, needs: [] });
  }
  return planned;
}

/** Versions of the stack's secrets (or configs) no service uses any more go once the services have moved off them. */
function removeStaleVersions({ project, stack, observed, drafts }: Planning, kind: 'secrets' | 'configs', names: ReadonlyMap<string, string>): void {
  const ours = belongsTo(stack);
  const { resource: noun, remove } = OBJECT_KIND[kind];
  const wanted = new Set(names.values());
  for (const stale of observed[kind].filter((object) => ours(object) && !wanted.has(object.name) && isVersionOf(object, project[kind]))) {
    drafts.push({ operation: { kind: remove, resource: `${noun}:${stale.name}`, cause: 'replaced by new content', engineId: stale.id }, needs: 'every service change' });
  }
}

/** Whether a stack object is an older version of one the file declares (`<name>-<digest>`). */
function isVersionOf(object: ObservedSwarmObject, declared: Record<string, Record<string, unknown>>): boolean {
  return Object.values(declared).some((config) => !config.external && new RegExp(`^${escapeRegExp(String(config.name))}-[0-9a-f]{12}$`).test(object.name));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Stable ids; a service waits for what it uses, stale objects wait for every service change. */
export function numbered(drafts: readonly Draft[]): StackOperation[] {
  const idOf = new Map<string, string>();
  const serviceIds: string[] = [];
  return drafts.map(({ operation, needs }) => {
    const id = operationId(operation);
    const dependsOn = needs === 'every service change' ? [...serviceIds] : needs.flatMap((resource) => idOf.get(resource) ?? []);
    idOf.set(operation.resource, id);
    if (operation.kind.endsWith('Service')) serviceIds.push(id);
    return { ...operation, id, dependsOn } as StackOperation;
  });
}
