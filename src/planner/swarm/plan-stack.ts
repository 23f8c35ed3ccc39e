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

/**
 * Plans `stack deploy`: from the project (loaded with the stack's name as project name) and the
 * swarm's observed state to the Engine API calls that make the swarm hold the stack. Pure.
 * Secrets and configs are immutable on the engine: their names carry a digest of the content,
 * so new content is a new object and the services using it roll to it.
 */
export function planStack(project: ComposeProject, observedSwarm: ObservedSwarm | undefined, contents: StackContents, options: StackPlanOptions = {}): StackPlan {
  const stack = project.name;
  const observed = observedSwarm ?? EMPTY_SWARM;
  const conflicts: StackConflict[] = [];
  const warnings: string[] = [];
  const drafts: Draft[] = [];
  const add = (operation: OperationDraft, needs: Draft['needs'] = []) => drafts.push({ operation, needs });
  const ours = (object: { labels: Record<string, string> }) => object.labels[STACK_NAMESPACE_LABEL] === stack;
  if (!observed.manager) conflicts.push({ kind: 'not-a-swarm-manager', message: 'the engine is not a swarm manager: a stack needs one (docker swarm init, or DOCKER_HOST of a manager)', resource: `stack:${stack}` });

  const services = Object.values(project.services);
  const usedNetworks = new Set(services.flatMap((service) => Object.keys(service.networks ?? {})));
  const networks: PlannedStackNetwork[] = [];
  for (const key of [...usedNetworks].sort()) {
    const config = project.networks[key]!;
    const existing = observed.networks.find((network) => network.name === config.name);
    const driver = config.driver ?? 'overlay';
    if (config.external) {
      networks.push({ key, name: config.name, action: 'external', cause: 'external', driver: existing?.driver ?? driver, ...(existing ? { existingId: existing.id } : {}) });
      if (observedSwarm && !existing) conflicts.push({ kind: 'external-missing', message: `external network "${config.name}" is not on the swarm`, resource: `network:${config.name}` });
      else if (existing && existing.scope !== 'swarm') conflicts.push({ kind: 'external-missing', message: `external network "${config.name}" has scope "${existing.scope}"; swarm services need a swarm-scoped network (overlay)`, resource: `network:${config.name}` });
      continue;
    }
    if (existing) {
      if (!ours(existing)) conflicts.push({ kind: 'name-taken', message: `network "${config.name}" exists but does not belong to stack ${stack}`, resource: `network:${config.name}` });
      networks.push({ key, name: config.name, action: 'keep', cause: 'exists', driver: existing.driver ?? driver, existingId: existing.id });
      continue;
    }
    networks.push({ key, name: config.name, action: 'create', cause: 'not found', driver });
    const ipam = config.ipam?.config?.length
      ? { IPAM: { Driver: config.ipam.driver ?? 'default', Config: config.ipam.config.map((pool) => ({ ...(pool.subnet ? { Subnet: pool.subnet } : {}), ...(pool.ip_range ? { IPRange: pool.ip_range } : {}), ...(pool.gateway ? { Gateway: pool.gateway } : {}) })) } }
      : {};
    add({
      kind: 'CreateNetwork',
      resource: `network:${config.name}`,
      cause: 'not found',
      body: { Name: config.name, Driver: driver, Options: config.driver_opts ?? {}, Labels: { ...config.labels, [STACK_NAMESPACE_LABEL]: stack }, Attachable: config.attachable ?? false, Internal: config.internal ?? false, Scope: 'swarm', ...ipam },
    });
  }

  const objectNames = { secrets: new Map<string, string>(), configs: new Map<string, string>() };
  const planned = { secrets: [] as PlannedStackObject[], configs: [] as PlannedStackObject[] };
  for (const kind of ['secrets', 'configs'] as const) {
    const used = new Set(services.flatMap((service) => (Array.isArray(service[kind]) ? (service[kind] as unknown[]) : []).map((entry) => (typeof entry === 'string' ? entry : (entry as { source: string }).source))));
    const kindName = kind === 'secrets' ? 'Secret' : 'Config';
    for (const key of [...used].sort()) {
      const config = project[kind][key]!;
      const baseName = String(config.name);
      const existingOf = (name: string) => observed[kind].find((object) => object.name === name);
      if (config.external) {
        const existing = existingOf(baseName);
        objectNames[kind].set(key, baseName);
        planned[kind].push({ key, name: baseName, action: 'external', cause: 'external', ...(existing ? { existingId: existing.id } : {}) });
        if (observedSwarm && !existing) conflicts.push({ kind: 'external-missing', message: `external ${kindName.toLowerCase()} "${baseName}" is not on the swarm`, resource: `${kindName.toLowerCase()}:${baseName}` });
        continue;
      }
      const digest = contents[kind].get(key)!;
      const name = `${baseName}-${digest.slice(0, 12)}`;
      objectNames[kind].set(key, name);
      const existing = existingOf(name);
      const resource = `${kindName.toLowerCase()}:${name}`;
      if (existing) {
        planned[kind].push({ key, name, action: 'keep', cause: 'same content', digest, existingId: existing.id });
        continue;
      }
      const older = observed[kind].some((object) => ours(object) && object.name.startsWith(`${baseName}-`));
      const cause = older ? 'new content' : 'not found';
      planned[kind].push({ key, name, action: 'create', cause, digest });
      const file = String(config.file);
      add({
        kind: kind === 'secrets' ? 'CreateSecret' : 'CreateConfig',
        resource,
        cause,
        body: { Name: name, Labels: { ...(config.labels as Record<string, string> | undefined), [STACK_NAMESPACE_LABEL]: stack }, file: isAbsolute(file) ? file : resolve(project.working_dir, file), digest },
      });
    }
  }

  const plannedServices: PlannedStackService[] = [];
  const heldPorts = new Map<string, string>();
  for (const service of observed.services) {
    if (ours(service)) continue;
    for (const port of service.ports) if (port.mode === 'ingress') heldPorts.set(`${port.protocol}/${port.published}`, service.name);
  }
  const serviceResources: string[] = [];
  for (const service of services.sort((a, b) => a.name.localeCompare(b.name))) {
    const { spec, summary } = serviceSpec(service, { stack, project, secrets: objectNames.secrets, configs: objectNames.configs, ...(options.images ? { images: options.images } : {}) });
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
      plannedServices.push({ ...summary, action: 'create', cause: 'not found' });
      add({ kind: 'CreateService', resource, cause: 'not found', body: spec }, needs);
    } else if (!ours(existing)) {
      conflicts.push({ kind: 'name-taken', message: `service "${spec.Name}" exists but does not belong to stack ${stack}`, resource });
      plannedServices.push({ ...summary, action: 'keep', cause: 'belongs to another stack', existingId: existing.id });
    } else if (existing.labels[STACK_SPEC_HASH_LABEL] === summary.specHash) {
      plannedServices.push({ ...summary, action: 'keep', cause: 'unchanged', existingId: existing.id });
    } else {
      const cause = existing.labels[STACK_SPEC_HASH_LABEL] === undefined ? 'not deployed by tscompose' : 'spec changed';
      plannedServices.push({ ...summary, action: 'update', cause, existingId: existing.id });
      add({ kind: 'UpdateService', resource, cause, engineId: existing.id, version: existing.version, body: spec }, needs);
    }
    serviceResources.push(resource);
  }
  for (const existing of observed.services.filter((service) => ours(service) && !plannedServices.some((planned) => planned.name === service.name))) {
    const key = existing.name.slice(stack.length + 1);
    if (!options.prune) {
      warnings.push(`service ${existing.name} is no longer in the compose file; --prune removes it`);
      continue;
    }
    plannedServices.push({ key, name: existing.name, action: 'remove', cause: 'not in the compose file (--prune)', mode: existing.mode, networks: [], ports: [], specHash: existing.labels[STACK_SPEC_HASH_LABEL] ?? '', existingId: existing.id });
    add({ kind: 'RemoveService', resource: `service:${existing.name}`, cause: 'not in the compose file (--prune)', engineId: existing.id });
  }
  // Versions of the stack's secrets and configs no service uses any more go once the services have moved off them.
  for (const kind of ['secrets', 'configs'] as const) {
    const kindName = kind === 'secrets' ? 'Secret' : 'Config';
    const wanted = new Set(objectNames[kind].values());
    for (const stale of observed[kind].filter((object) => ours(object) && !wanted.has(object.name) && isVersionOf(object, project[kind]))) {
      add({ kind: kind === 'secrets' ? 'RemoveSecret' : 'RemoveConfig', resource: `${kindName.toLowerCase()}:${stale.name}`, cause: 'replaced by new content', engineId: stale.id }, 'every service change');
    }
  }

  return {
    formatVersion: STACK_PLAN_FORMAT_VERSION,
    target: 'swarm',
    stack,
    observed: observedSwarm !== undefined,
    networks,
    secrets: planned.secrets,
    configs: planned.configs,
    services: plannedServices,
    operations: conflicts.length > 0 ? [] : numbered(drafts),
    conflicts,
    warnings,
  };
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
