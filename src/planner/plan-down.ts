import type { ComposeProject } from '../loader/model.js';
import { serviceImageName } from './images.js';
import { LABEL } from './labels.js';
import { OperationGraph } from './operation-graph.js';
import { PLAN_FORMAT_VERSION, type DownOptions, type ObservedContainer, type ObservedState, type Plan } from './types.js';

/**
 * Containers of one network stopped at once, at most. Docker 20.10 loses count of a network's
 * endpoints when many of its containers exit at the same moment (their endpoints are released
 * concurrently), and then refuses to remove the network, "has active endpoints", until dockerd
 * restarts. On a loaded 2-core machine 64 stops at once did that in 2 downs of 100 out of 2,
 * stopping all before removing any in 1 of 3, 8 at once in 1 of 7; each step down halves how
 * many exits can overlap (bench/down-race.mjs counts the downs that leave anything).
 */
export const STOPS_PER_NETWORK = 4;

/**
 * The stops planned so far on each network, in plan order: a new stop of a container waits for
 * the stop STOPS_PER_NETWORK places before it on each of the container's networks. Every plan
 * that stops containers (down, stop, rm --stop, restart) goes through it.
 */
export class StopLanes {
  private readonly stops = new Map<string, number[]>();

  /** The stops a stop of a container on these networks must wait for. */
  before(container: ObservedContainer): (number | undefined)[] {
    return Object.keys(container.networks).map((network) => this.stops.get(network)?.at(-STOPS_PER_NETWORK));
  }

  add(container: ObservedContainer, id: number | undefined): number | undefined {
    if (id === undefined) return id;
    for (const network of Object.keys(container.networks)) {
      const onNetwork = this.stops.get(network);
      if (onNetwork) onNetwork.push(id);
      else this.stops.set(network, [id]);
    }
    return id;
  }
}

/** Services a container's service depends on, from the model, else from its depends_on label. */
export function dependenciesOf(container: ObservedContainer, model: ComposeProject | undefined): string[] {
  const service = model?.services[container.labels[LABEL.service] ?? ''];
  if (service) return Object.keys(service.depends_on);
  return (container.labels[LABEL.dependsOn] ?? '').split(',').filter(Boolean).map((entry) => entry.split(':')[0]!);
}

/** The images `down --rmi` removes: `local` those built under compose's default name (no `image:`), `all` every service's. */
function imagesToRemove(model: ComposeProject, which: 'local' | 'all'): string[] {
  const services = Object.values(model.services).filter((service) => which === 'all' || (service.image === undefined && service.build !== undefined));
  return [...new Set(services.map((service) => serviceImageName(model, service)))];
}

/**
 * Plans `down` from the engine's state: only resources carrying this project's label. Containers
 * stop in reverse dependency order (each after everything that depends on it), are removed, then
 * the project's networks and, with removeVolumes, its volumes. External ones carry no label and
 * are never touched.
 */
export function planDown(project: string, observed: ObservedState, model?: ComposeProject, options: DownOptions = {}): Plan {
  const warnings: string[] = [];
  // One-off containers of `run` too, as compose's down removes them: they hold the project's networks.
  const ours = observed.containers.filter((container) => container.labels[LABEL.project] === project);
  const isOrphan = (container: ObservedContainer) => model !== undefined && !((container.labels[LABEL.service] ?? '') in model.services);
  const leaving = ours.filter((container) => options.removeOrphans || !isOrphan(container));
  for (const orphan of ours.filter((container) => !leaving.includes(container))) {
    warnings.push(`found orphan container "${orphan.name}" of service "${orphan.labels[LABEL.service]}", which is not in the compose file; run with --remove-orphans to remove it`);
  }

  const graph = new OperationGraph();
  const stopped = new Map<string, number | undefined>();
  const dependents = new Map<string, ObservedContainer[]>();
  for (const container of leaving) {
    for (const service of dependenciesOf(container, model)) dependents.set(service, [...(dependents.get(service) ?? []), container]);
  }
  const lanes = new StopLanes();
  const stop = (container: ObservedContainer, visiting: Set<string>): number | undefined => {
    if (stopped.has(container.id)) return stopped.get(container.id);
    if (visiting.has(container.id)) return undefined; // a cycle through labels: stop without ordering
    visiting.add(container.id);
    const before = (dependents.get(container.labels[LABEL.service] ?? '') ?? []).map((dependent) => stop(dependent, visiting));
    const running = container.state === 'running' || container.state === 'restarting' || container.state === 'paused';
    const id = running ? lanes.add(container, graph.add({ kind: 'StopContainer', container: container.name, cause: 'down', timeout: options.timeout, after: [...before, ...lanes.before(container)] })) : undefined;
    stopped.set(container.id, id);
    return id;
  };
  const removedContainers = new Map<string, number>();
  for (const container of leaving) {
    const stopId = stop(container, new Set());
    removedContainers.set(container.id, graph.add({ kind: 'RemoveContainer', container: container.name, cause: isOrphan(container) ? 'orphan' : 'down', after: [stopId], ...(options.removeVolumes ? { removeVolumes: true as const } : {}) }));
  }

  const staying = ours.filter((container) => !leaving.includes(container));
  const networks = observed.networks.filter((network) => network.labels[LABEL.project] === project);
  for (const network of networks) {
    const inUse = staying.some((container) => network.name in container.networks);
    if (inUse) {
      warnings.push(`network "${network.name}" is kept: orphan containers are still attached`);
      continue;
    }
    const attached = leaving.filter((container) => network.name in container.networks || network.containers?.includes(container.id));
    // Two networks of one name (left by two concurrent ups) are each removed by id: the name is ambiguous to the engine.
    const named = networks.filter((other) => other.name === network.name).length > 1 ? network.id : network.name;
    graph.add({ kind: 'RemoveNetwork', network: named, cause: 'down', after: attached.map((container) => removedContainers.get(container.id)) });
  }
  if (options.removeImages && !model) warnings.push('--rmi needs the compose file to know the images; none were removed');
  for (const image of model && options.removeImages ? imagesToRemove(model, options.removeImages) : []) {
    graph.add({ kind: 'RemoveImage', image, cause: `down --rmi ${options.removeImages}`, after: [...removedContainers.values()] });
  }
  const volumes = options.removeVolumes ? (observed.volumes ?? []).filter((volume) => volume.labels[LABEL.project] === project) : [];
  const allRemoved = [...removedContainers.values()];
  for (const volume of volumes) graph.add({ kind: 'RemoveVolume', volume: volume.name, cause: 'down -v', after: allRemoved });

  return {
    formatVersion: PLAN_FORMAT_VERSION,
    project,
    apiVersion: observed.apiVersion,
    observed: true,
    networks: networks.map((network) => ({ key: network.labels[LABEL.network] ?? network.name, name: network.name, action: 'remove', cause: 'down', driver: network.driver, subnets: network.subnets, internal: false, configHash: network.labels[LABEL.configHash] ?? '', existingId: network.id })),
    volumes: volumes.map((volume) => ({ key: volume.labels[LABEL.volume] ?? volume.name, name: volume.name, action: 'remove', cause: 'down -v' })),
    images: [],
    containers: [],
    removals: leaving.map((container) => ({ name: container.name, service: container.labels[LABEL.service] ?? '', existingId: container.id, action: 'remove', cause: isOrphan(container) ? 'orphan' : 'down' })),
    operations: graph.operations,
    conflicts: [],
    warnings,
  };
}
