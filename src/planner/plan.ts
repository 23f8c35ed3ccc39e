import type { ComposeProject, ServiceConfig } from '../loader/model.js';
import { checkOptions, checkProject } from '../arguments.js';
import { NoSuchServiceError, UsageError } from '../errors.js';
import { envFlag } from '../loader/env-flag.js';
import { MAX_REPLICAS } from '../loader/checks.js';
import { changesCause, recordedChanges } from './config-diff.js';
import { containerConflicts } from './conflicts.js';
import { fileWarnings, withContentDigests, writtenFiles } from './container-files.js';
import { containerReferences, containerSpec, hostAddress, replicaNumbers, serviceConfigRecord, serviceContainerNames, specContext, unsupportedSettings, type ContainerSpec } from './container-spec.js';
import { LABEL } from './labels.js';
import { addImageOperations, planImages } from './images.js';
import { planNetworks } from './networks.js';
import { namedVolumeKeys, planVolumes } from './volumes.js';
import { OperationGraph } from './operation-graph.js';
import { findLeftovers } from './repair.js';
import {
  PLAN_FORMAT_VERSION,
  type ConfigChange,
  type Conflict,
  type ObservedContainer,
  type ObservedNetwork,
  type ObservedState,
  type Plan,
  type PlannedContainer,
  type PlannedImage,
  type EndpointSettings,
  type NetworkAttachment,
  type PlannedNetwork,
  type PlanOptions,
  type PublishedPort,
  type WaitCondition,
} from './types.js';

/** The oldest Engine API tscompose supports (Docker 20.10); plans made without an engine assume it. */
export const MINIMUM_API_VERSION = '1.41';

const EMPTY_STATE: ObservedState = { apiVersion: MINIMUM_API_VERSION, containers: [], networks: [], images: [] };

/**
 * Plans `up`: from the model and the engine's observed state (none: plan from empty state) to
 * networks, containers and a DAG of Engine API calls. Pure: no I/O, plain data out.
 */
export function plan(project: ComposeProject, observed?: ObservedState, options: PlanOptions = {}): Plan {
  checkProject(project, 'plan(project, observed?, options?)');
  checkOptions(observed, 'plan(project, observed?, options?): observed');
  checkOptions(options, 'plan(project, observed?, options?): options');
  project = withScale(project, options.scale ?? {});
  // What concurrent or interrupted runs left is repaired: duplicates of a network removed, stranded containers recreated.
  const leftovers = findLeftovers(project.name, observed ?? EMPTY_STATE);
  const state = observed ? { ...observed, networks: observed.networks.filter((network) => !leftovers.duplicates.includes(network)) } : EMPTY_STATE;
  const apiVersion = observed?.apiVersion ?? options.apiVersion ?? MINIMUM_API_VERSION;
  const warnings: string[] = [];
  const services = selectServices(project, options.services ?? [], options.noDeps === true);

  const networkKeys = [...new Set(services.flatMap((service) => (service.network_mode === undefined ? Object.keys(service.networks ?? {}) : [])))];
  const { networks, conflicts } = planNetworks(project, sortNetworkKeys(project, networkKeys), state.networks, observed !== undefined);
  const volumes = planVolumes(project, [...new Set(services.flatMap((service) => namedVolumeKeys(service, project)))], state.volumes, warnings);
  const images = planImages(project, services, state, options);
  conflicts.push(...images.conflicts);
  const imageOf = new Map(images.images.map((image) => [image.name, image]));

  const context = specContext(project, apiVersion, serviceContainerNames(project));
  const ours = state.containers.filter((container) => container.labels[LABEL.project] === project.name && container.labels[LABEL.oneoff] !== 'True');

  const oursByService = groupBy(ours, (container) => container.labels[LABEL.service] ?? '');
  const containers: PlannedContainer[] = [];
  const removals: ObservedContainer[] = [];
  for (const service of services) {
    conflicts.push(...unsupportedSettings(service, apiVersion, project));
    warnings.push(...fileWarnings(service, project));
    const config = serviceConfigRecord(withContentDigests(service, project));
    const existing = oursByService.get(service.name) ?? [];
    for (const number of replicaNumbers(service)) {
      const spec = containerSpec(service, number, config, context);
      const current = existing.find((container) => container.labels[LABEL.containerNumber] === String(number));
      containers.push(decide(spec, current, service, containers, imageOf.get(spec.request.Image), options, current && leftovers.stranded.get(current.id)));
    }
    const wanted = new Set(replicaNumbers(service).map(String));
    for (const extra of existing.filter((container) => !wanted.has(container.labels[LABEL.containerNumber] ?? ''))) removals.push(extra);
  }
  // As compose, COMPOSE_IGNORE_ORPHANS is read from the project's environment (.env included).
  const ignoreOrphans = envFlag(project.environment.COMPOSE_IGNORE_ORPHANS);
  if (ignoreOrphans && options.removeOrphans) throw new UsageError('cannot combine COMPOSE_IGNORE_ORPHANS and --remove-orphans', { hint: 'unset one of them (COMPOSE_REMOVE_ORPHANS is --remove-orphans too)' });
  for (const orphan of ours.filter((container) => !(container.labels[LABEL.service]! in project.services))) {
    if (options.removeOrphans) removals.push(orphan);
    else if (!ignoreOrphans) warnings.push(`found orphan container "${orphan.name}" of service "${orphan.labels[LABEL.service]}", which is not in the compose file; run with --remove-orphans to remove it`);
  }

  sayReconnected(containers, networks, state);

  const leaving = new Set([...removals.map((container) => container.id), ...containers.filter((c) => c.action === 'recreate').map((c) => c.existingId!)]);
  conflicts.push(...containerConflicts(containers, state.containers, leaving));

  const planned: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    project: project.name,
    apiVersion,
    observed: observed !== undefined,
    networks,
    volumes,
    images: images.images,
    containers,
    removals: removals.map((container) => ({ name: container.name, service: container.labels[LABEL.service] ?? '', existingId: container.id, action: 'remove', cause: removalCause(project, container) })),
    operations: [],
    conflicts: dedupeConflicts(conflicts),
    warnings,
  };
  if (planned.conflicts.length === 0) {
    planned.operations = buildOperations(project, planned, removals, state, leftovers.duplicates, options);
  }
  return planned;
}

/** The project with `--scale`'s replica counts over the file's; a service it does not have is an error. */
function withScale(project: ComposeProject, scale: Record<string, number>): ComposeProject {
  const entries = Object.entries(scale);
  if (entries.length === 0) return project;
  const services = { ...project.services };
  for (const [name, replicas] of entries) {
    const service = services[name];
    if (!service) throw new UsageError(`--scale: no such service: ${name}`, { hint: `services: ${Object.keys(project.services).join(', ')}` });
    if (replicas > MAX_REPLICAS) throw new UsageError(`--scale ${name}=${replicas}: tscompose runs at most ${MAX_REPLICAS.toLocaleString('en')} containers of a service on one engine`);
    services[name] = { ...service, scale: replicas };
  }
  return { ...project, services };
}

/** A kept container on a network that is recreated says so: it is disconnected and connected again, not restarted. */
function sayReconnected(containers: PlannedContainer[], networks: readonly PlannedNetwork[], state: ObservedState): void {
  const recreated = networks.filter((network) => network.action === 'recreate').map((network) => network.name);
  if (recreated.length === 0) return;
  const observedById = new Map(state.containers.map((container) => [container.id, container]));
  for (const container of containers) {
    if (container.action !== 'keep') continue;
    const on = recreated.filter((name) => name in (observedById.get(container.existingId!)?.networks ?? {}));
    if (on.length > 0) container.cause = `${container.cause}; reconnected to recreated network ${on.join(', ')} without a restart`;
  }
}

function removalCause(project: ComposeProject, container: ObservedContainer): string {
  return (container.labels[LABEL.service] ?? '') in project.services ? 'scaled down' : 'orphan';
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Networks in the order the file declares them, so that plans are stable. */
function sortNetworkKeys(project: ComposeProject, keys: string[]): string[] {
  const order = Object.keys(project.networks);
  return [...keys].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** The named services and everything they depend on (the loader adds links, network_mode service: and the like to depends_on), dependencies first. */
export function selectServices(project: ComposeProject, names: readonly string[], noDeps: boolean): ServiceConfig[] {
  for (const name of names) {
    if (!(name in project.services)) {
      throw new NoSuchServiceError(`no such service: ${name}`, { hint: `services: ${Object.keys(project.services).join(', ')}` });
    }
  }
  const ordered: ServiceConfig[] = [];
  const seen = new Set<string>();
  // Depth-first with a stack of its own: a depends_on chain of thousands must not overflow the call stack.
  const pending: { name: string; dependencies: string[] }[] = [];
  const enter = (name: string) => {
    if (seen.has(name) || !(name in project.services)) return;
    seen.add(name);
    // --no-deps: the services named stand alone.
    pending.push({ name, dependencies: noDeps && names.includes(name) ? [] : Object.keys(project.services[name]!.depends_on).reverse() });
  };
  for (const name of names.length > 0 ? names : Object.keys(project.services)) {
    enter(name);
    while (pending.length > 0) {
      const frame = pending.at(-1)!;
      const dependency = frame.dependencies.pop();
      if (dependency === undefined) {
        pending.pop();
        ordered.push(project.services[frame.name]!);
      } else enter(dependency);
    }
  }
  return ordered;
}

/** Create, keep or recreate one replica, from what the engine holds under its labels and the image it should run. */
function decide(spec: ContainerSpec, current: ObservedContainer | undefined, service: ServiceConfig, decided: readonly PlannedContainer[], image: PlannedImage | undefined, options: PlanOptions, stranded: string | undefined): PlannedContainer {
  if (!current) return Object.assign(spec, { action: 'create' as const, cause: 'not found' });
  // Its network is gone or a duplicate: it could not start again as it is, --no-recreate or not.
  if (stranded) return recreated(spec, current, stranded);
  // A namespace joined or volumes mounted from a container that is made anew would be the old one's: compose recreates the container that names it.
  // Dependencies come first, so the named service's first replica is among the last decided.
  const firstReplica = (name: string) => decided.findLast((other) => other.service === name && other.number === 1);
  const recreatedParent = containerReferences(service).find((reference) => reference.service !== undefined && (firstReplica(reference.service)?.action ?? 'keep') !== 'keep');
  if (options.noRecreate) return kept(spec, current, '--no-recreate');
  if (options.forceRecreate) return recreated(spec, current, '--force-recreate');
  // A dependency brought in by the services named, not one of them.
  const dependency = (options.services?.length ?? 0) > 0 && !options.services!.includes(service.name);
  if (options.alwaysRecreateDeps && dependency) return recreated(spec, current, '--always-recreate-deps');
  if (current.labels[LABEL.configHash] !== spec.configHash) {
    const changes = recordedChanges(current.labels[LABEL.config], spec.request.Labels[LABEL.config]!);
    return recreated(spec, current, changesCause(changes), changes);
  }
  if (recreatedParent) return recreated(spec, current, `${recreatedParent.setting} is recreated`);
  if (image?.action === 'keep' && image.existingId && current.imageId && current.imageId !== image.existingId) {
    const changes = [{ path: 'image', from: current.imageId, to: image.existingId }];
    return recreated(spec, current, changesCause(changes), changes);
  }
  // up runs pulls and builds first, then plans again with the images they left: that plan knows.
  if (image && image.action !== 'keep') return kept(spec, current, `unchanged; recreated if the ${image.action === 'pull' ? 'pulled' : 'built'} image differs`);
  return kept(spec, current, 'unchanged');
}

// The decision completes the replica's own spec in place: a copy of it by spread, with fields added after, costs several times as much.

/** A replica kept as it runs, with the host ports the engine gave it. */
function kept(spec: ContainerSpec, current: ObservedContainer, cause: string): PlannedContainer {
  return Object.assign(spec, { existingId: current.id, ports: assignedPorts(spec.ports, current), action: 'keep' as const, cause });
}

function recreated(spec: ContainerSpec, current: ObservedContainer, cause: string, changes?: ConfigChange[]): PlannedContainer {
  const container = Object.assign(spec, { existingId: current.id, action: 'recreate' as const, cause });
  return changes ? Object.assign(container, { changes }) : container;
}

/** A kept container's ports as the engine bound them: a random port or a range shows the host port it got. */
function assignedPorts(ports: readonly PublishedPort[], current: ObservedContainer): PublishedPort[] {
  return ports.map((port) => {
    if (port.hostPort !== undefined && !port.hostPort.includes('-')) return port;
    const bound = current.ports.find((held) => held.containerPort === port.containerPort && held.protocol === port.protocol && (port.hostIp === '' || held.hostIp === port.hostIp));
    if (!bound) return port;
    return { ...port, fromHost: `${hostAddress(port.hostIp)}:${bound.hostPort}` };
  });
}

function dedupeConflicts(conflicts: Conflict[]): Conflict[] {
  const seen = new Set<string>();
  return conflicts.filter((conflict) => {
    const key = `${conflict.kind}|${conflict.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const WAIT_FOR: Record<string, WaitCondition> = {
  service_started: 'running',
  service_healthy: 'healthy',
  service_completed_successfully: 'exited-successfully',
};

/** Networks that are created or recreated carry their create request. */
function hasRequest(network: PlannedNetwork): network is PlannedNetwork & Required<Pick<PlannedNetwork, 'request'>> {
  return network.request !== undefined;
}

/** The DAG of Engine API calls that brings the engine from its observed state to the plan. */
function buildOperations(project: ComposeProject, plan: Plan, removals: readonly ObservedContainer[], state: ObservedState, duplicates: readonly ObservedNetwork[], options: PlanOptions): Plan['operations'] {
  const graph = new OperationGraph();
  // Without -t the engine uses the container's own StopTimeout, which its stop_grace_period set at create.
  const stopTimeout = options.timeout;
  const observedById = new Map(state.containers.map((container) => [container.id, container]));
  const networkReady = new Map<string, number>();

  // Containers leaving the engine: orphans, replicas beyond the scale, and the old half of a recreate.
  const removed = new Map<string, number>();
  const removeContainer = (container: ObservedContainer, cause: string, removeVolumes: boolean) => {
    const stop = container.state === 'running' ? graph.add({ kind: 'StopContainer', container: container.name, cause, timeout: stopTimeout }) : undefined;
    removed.set(container.id, graph.add({ kind: 'RemoveContainer', container: container.name, cause, after: [stop], ...(removeVolumes ? { removeVolumes: true as const } : {}) }));
  };
  for (const container of removals) removeContainer(container, removalCause(project, container), false);
  // The new container gets new anonymous volumes: the old ones go with the old container, or they would stay unlabelled where down -v cannot find them (the engine keeps one another container still uses).
  for (const container of plan.containers) {
    if (container.action === 'recreate') removeContainer(observedById.get(container.existingId!)!, container.cause, true);
  }

  // A duplicate is removed by id (its name is ambiguous) once the containers on it are gone; until
  // then the engine refuses the name, so whatever uses the network waits for its duplicates' removal.
  const duplicatesRemoved = new Map<string, number>();
  for (const duplicate of duplicates) {
    const attached = [...observedById.values()].filter((container) => duplicate.containers?.includes(container.id) || Object.values(container.networks).some((endpoint) => endpoint.networkId === duplicate.id));
    const after = [duplicatesRemoved.get(duplicate.name), ...attached.map((container) => removed.get(container.id))];
    duplicatesRemoved.set(duplicate.name, graph.add({ kind: 'RemoveNetwork', network: duplicate.id, cause: `duplicate of network ${duplicate.name}`, after }));
  }
  const duplicatesGone = new Map(plan.networks.map((network) => [network.key, duplicatesRemoved.get(network.name)]));
  const usable = (key: string) => networkReady.get(key) ?? duplicatesGone.get(key);
  // Networks recreated with their containers attached: recreateNetwork reconnects those.
  const reattached = new Map<string, Map<string, number>>();
  for (const network of plan.networks) {
    if (!hasRequest(network)) continue;
    if (network.action === 'create') networkReady.set(network.key, graph.add({ kind: 'CreateNetwork', network: network.name, cause: network.cause, body: network.request }));
    if (network.action === 'recreate') {
      const recreated = recreateNetwork(graph, network, plan, state, removed);
      networkReady.set(network.key, recreated.created);
      reattached.set(network.name, recreated.reconnected);
    }
  }
  const imageReady = addImageOperations(graph, plan.images);
  const volumeReady = new Map<string, number>();
  for (const volume of plan.volumes) {
    if (volume.action === 'create' && volume.request) volumeReady.set(volume.key, graph.add({ kind: 'CreateVolume', volume: volume.name, cause: volume.cause, body: volume.request }));
  }

  const replicasByService = groupBy(plan.containers, (container) => container.service);
  const plannedNames = new Set(plan.containers.map((container) => container.name));
  const started = new Map<string, number | 'running'>();
  const createdOps = new Map<string, number>();
  const waits = new Map<string, number>();
  for (const container of plan.containers) {
    const service = project.services[container.service]!;
    // Containers whose namespaces or volumes this one takes, or that it links to: the engine resolves them at create and needs them running at start.
    const referenced = containerReferences(service).map((reference) => (reference.service !== undefined ? replicasByService.get(reference.service)?.[0]?.name : plannedNames.has(reference.container!) ? reference.container : undefined));
    const linked = service.links.flatMap((link) => (replicasByService.get(link.split(':')[0]!) ?? []).map((c) => c.name));
    const needed = [...new Set([...referenced, ...linked].filter((name): name is string => name !== undefined))];
    const ready: (number | undefined)[] = [];
    if (container.action === 'create' || container.action === 'recreate') {
      const attachedAtCreate = container.networks.filter((n) => n.via === 'create').map((n) => usable(n.network));
      const created = graph.add({
        kind: 'CreateContainer',
        container: container.name,
        cause: container.cause,
        body: container.request,
        after: [imageReady.get(container.request.Image), removed.get(container.existingId ?? ''), ...attachedAtCreate, ...namedVolumeKeys(service, project).map((key) => volumeReady.get(key)), ...needed.map((name) => createdOps.get(name))],
      });
      createdOps.set(container.name, created);
      ready.push(created);
      // Written at create, so that a container created now and started later (up --no-start, then start) has them too.
      for (const file of writtenFiles(service, project)) {
        ready.push(graph.add({ kind: 'CopyToContainer', container: container.name, cause: `${file.from} ${file.name}, written before start`, file, after: [created] }));
      }
      for (const attachment of container.networks.filter((n) => n.via === 'connect')) {
        ready.push(connect(graph, attachment, container.name, 'attached before start', [created, usable(attachment.network)]));
      }
    } else if (container.action === 'keep') {
      ready.push(...reconcileAttachments(graph, container, observedById.get(container.existingId!)!, networkReady, reattached));
    }
    const observedRunning = container.action === 'keep' && observedById.get(container.existingId!)?.state === 'running';
    if (observedRunning) {
      started.set(container.name, 'running');
      continue;
    }
    if (options.noStart) continue;
    const waitsFor = dependencyWaits(graph, container, replicasByService, started, waits);
    const before = needed.map((name) => started.get(name)).filter((id): id is number => typeof id === 'number');
    started.set(container.name, graph.add({ kind: 'StartContainer', container: container.name, cause: container.action === 'keep' ? 'not running' : container.cause, after: [...ready, ...waitsFor, ...before] }));
  }
  return graph.operations;
}

function connect(graph: OperationGraph, attachment: NetworkAttachment, container: string, cause: string, after: (number | undefined)[]): number {
  return graph.add({ kind: 'ConnectNetwork', network: attachment.networkName, container, cause, body: { Container: container, EndpointConfig: attachment.endpoint }, after });
}

/** A wait operation for each dependency replica that is not already known to be in the wanted state. */
function dependencyWaits(graph: OperationGraph, container: PlannedContainer, replicasByService: Map<string, PlannedContainer[]>, started: Map<string, number | 'running'>, waits: Map<string, number>): number[] {
  const ids: number[] = [];
  for (const dependency of container.dependsOn) {
    const condition = WAIT_FOR[dependency.condition]!;
    const optional = !dependency.required;
    for (const target of replicasByService.get(dependency.service) ?? []) {
      const start = started.get(target.name);
      if (start === 'running' && condition === 'running') continue;
      const key = `${target.name}|${condition}|${optional}`;
      let id = waits.get(key);
      if (id === undefined) {
        const cause = `${container.service} depends on ${dependency.service} (${dependency.condition}${optional ? ', required: false' : ''})`;
        id = graph.add({ kind: 'WaitContainer', container: target.name, condition, optional, cause, after: [typeof start === 'number' ? start : undefined] });
        waits.set(key, id);
      }
      ids.push(id);
    }
  }
  return ids;
}

/** Whether an endpoint on the engine is the one the attachment asks for: its aliases, and its static address when one is set. */
function endpointMatches(attachment: NetworkAttachment, endpoint: ObservedContainer['networks'][string]): boolean {
  if (!attachment.aliases.every((alias) => endpoint.aliases.includes(alias))) return false;
  return attachment.ipv4Address === undefined || endpoint.ipv4Address === undefined || endpoint.ipv4Address === attachment.ipv4Address;
}

/**
 * A kept container whose networks changed is connected and disconnected in place, without a
 * restart; a network created in the same plan is connected once it exists. Endpoints on a
 * recreated network are left to recreateNetwork, which reconnects them.
 */
function reconcileAttachments(graph: OperationGraph, container: PlannedContainer, current: ObservedContainer, networkReady: Map<string, number>, reattached: Map<string, Map<string, number>>): number[] {
  const ids: number[] = [];
  const wanted = new Map(container.networks.map((attachment) => [attachment.networkName, attachment]));
  if (container.request.HostConfig.NetworkMode.startsWith('container:') || ['host', 'none', 'bridge'].includes(container.request.HostConfig.NetworkMode)) return ids;
  const changed = new Set<string>();
  for (const [name, endpoint] of Object.entries(current.networks)) {
    const recreated = reattached.get(name);
    if (recreated) {
      const reconnected = recreated.get(container.name);
      if (reconnected !== undefined) ids.push(reconnected);
      continue;
    }
    const attachment = wanted.get(name);
    if (attachment && endpointMatches(attachment, endpoint)) continue;
    if (attachment) changed.add(name);
    ids.push(graph.add({ kind: 'DisconnectNetwork', network: name, container: container.name, cause: attachment ? 'endpoint changed' : 'network removed from service' }));
  }
  for (const attachment of container.networks) {
    if (reattached.get(attachment.networkName)?.has(container.name)) continue;
    const endpoint = current.networks[attachment.networkName];
    if (endpoint && !changed.has(attachment.networkName)) continue;
    ids.push(connect(graph, attachment, container.name, endpoint ? 'endpoint changed' : 'network added to service', [...ids, networkReady.get(attachment.network)]));
  }
  return ids;
}

/**
 * Recreates a network whose configuration changed with its containers running: disconnect each
 * attached one, remove, create, connect each again with its endpoint (aliases, static addresses,
 * links). Container IDs stay, nothing restarts. Returns the create op and, by container name,
 * the op that reconnects it.
 */
function recreateNetwork(graph: OperationGraph, network: PlannedNetwork & Required<Pick<PlannedNetwork, 'request'>>, plan: Plan, state: ObservedState, removed: Map<string, number>): { created: number; reconnected: Map<string, number> } {
  // By endpoint name rather than the network's own list: created and stopped containers are only there.
  const attached = state.containers.filter((c) => network.name in c.networks);
  const cause = `network ${network.name} is recreated; reconnected without a restart`;
  const disconnected: number[] = [];
  const reconnect: { name: string; endpoint: EndpointSettings }[] = [];
  for (const container of attached) {
    if (removed.has(container.id)) {
      disconnected.push(removed.get(container.id)!);
      continue;
    }
    disconnected.push(graph.add({ kind: 'DisconnectNetwork', network: network.name, container: container.name, cause }));
    const planned = plan.containers.find((c) => c.existingId === container.id);
    // A planned container that no longer uses the network stays off it; one outside the plan (another service, not selected) gets its aliases back.
    const endpoint = planned ? planned.networks.find((n) => n.networkName === network.name)?.endpoint : { Aliases: container.networks[network.name]?.aliases ?? [] };
    if (endpoint) reconnect.push({ name: container.name, endpoint });
  }
  const removedNetwork = graph.add({ kind: 'RemoveNetwork', network: network.name, cause: network.cause, after: disconnected });
  const created = graph.add({ kind: 'CreateNetwork', network: network.name, cause: network.cause, body: network.request, after: [removedNetwork] });
  const reconnected = new Map<string, number>();
  for (const { name, endpoint } of reconnect) {
    reconnected.set(name, graph.add({ kind: 'ConnectNetwork', network: network.name, container: name, cause, body: { Container: name, EndpointConfig: endpoint }, after: [created] }));
  }
  return { created, reconnected };
}
