import type { ComposeProject } from '../loader/model.js';
import { LABEL } from './labels.js';
import { OperationGraph } from './operation-graph.js';
import { dependenciesOf, StopLanes } from './plan-down.js';
import { PLAN_FORMAT_VERSION, type ObservedContainer, type ObservedState, type Plan, type WaitCondition } from './types.js';

/** The commands that change the state of a project's existing containers, one Engine API call per container. */
export type LifecycleCommand = 'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'unpause' | 'rm';

export interface LifecycleOptions {
  /** Only these services' containers (all when empty). */
  services?: string[];
  /** stop, restart, rm -s: seconds before SIGKILL (`-t`); absent: each container's stop_grace_period. */
  timeout?: number;
  /** kill: the signal (`-s`); absent: SIGKILL. */
  killSignal?: string;
  /** restart: leave out the containers that depend on the named services (`--no-deps`). */
  noDeps?: boolean;
  /** rm: stop running containers first (`-s`); otherwise only stopped ones are removed. */
  stop?: boolean;
  /** rm: remove their anonymous volumes too (`-v`). */
  removeVolumes?: boolean;
}

const RUNNING = new Set(['running', 'restarting', 'paused']);

const WAIT_FOR: Record<string, WaitCondition | undefined> = { service_healthy: 'healthy', service_completed_successfully: 'exited-successfully' };

/**
 * Plans one of the everyday lifecycle commands on the containers carrying this project's labels
 * (one-off containers of `run` excepted): start and restart in dependency order, stop and
 * `rm -s` in reverse, kill, pause and unpause all at once. Pure, as `planDown`.
 */
export function planLifecycle(command: LifecycleCommand, project: string, observed: ObservedState, model: ComposeProject | undefined, options: LifecycleOptions = {}): Plan {
  const ours = observed.containers.filter((container) => container.labels[LABEL.project] === project && container.labels[LABEL.oneoff] !== 'True');
  const selected = selectContainers(ours, model, command === 'restart' && !options.noDeps ? withDependents(options.services ?? [], ours, model) : (options.services ?? []));
  const graph = new OperationGraph();
  const order = new DependencyOrder(selected, model);
  const cause = command;
  const removals: ObservedContainer[] = [];
  const lanes = new StopLanes();
  switch (command) {
    case 'start': {
      const waits = new Map<string, number>();
      order.forward((container, started) => {
        if (RUNNING.has(container.state)) return undefined;
        const waited = dependencyWaits(container, model, selected, graph, waits, order);
        return graph.add({ kind: 'StartContainer', container: container.name, cause, after: [...started, ...waited] });
      });
      break;
    }
    // Stops (a restart stops too) go in lanes per network: see StopLanes.
    case 'restart':
      order.forward((container, restarted) => lanes.add(container, graph.add({ kind: 'RestartContainer', container: container.name, cause, timeout: options.timeout, after: [...restarted, ...lanes.before(container)] })));
      break;
    case 'stop':
      order.reverse((container, stopped) => (RUNNING.has(container.state) ? lanes.add(container, graph.add({ kind: 'StopContainer', container: container.name, cause, timeout: options.timeout, after: [...stopped, ...lanes.before(container)] })) : undefined));
      break;
    case 'rm':
      order.reverse((container, before) => {
        const running = RUNNING.has(container.state);
        if (running && !options.stop) return undefined;
        const stopped = running ? lanes.add(container, graph.add({ kind: 'StopContainer', container: container.name, cause: 'rm --stop', timeout: options.timeout, after: [...before, ...lanes.before(container)] })) : undefined;
        removals.push(container);
        return graph.add({ kind: 'RemoveContainer', container: container.name, cause, after: [stopped, ...before], ...(options.removeVolumes ? { removeVolumes: true } : {}) });
      });
      break;
    case 'kill':
      for (const container of selected.filter((c) => RUNNING.has(c.state))) graph.add({ kind: 'KillContainer', container: container.name, cause, ...(options.killSignal ? { signal: options.killSignal } : {}) });
      break;
    case 'pause':
      for (const container of selected.filter((c) => c.state === 'running')) graph.add({ kind: 'PauseContainer', container: container.name, cause });
      break;
    case 'unpause':
      for (const container of selected.filter((c) => c.state === 'paused')) graph.add({ kind: 'UnpauseContainer', container: container.name, cause });
      break;
  }
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    project,
    apiVersion: observed.apiVersion,
    observed: true,
    networks: [],
    volumes: [],
    images: [],
    containers: [],
    removals: removals.map((container) => ({ name: container.name, service: container.labels[LABEL.service] ?? '', existingId: container.id, action: 'remove', cause })),
    operations: graph.operations,
    conflicts: [],
    warnings: [],
  };
}

const serviceOf = (container: ObservedContainer) => container.labels[LABEL.service] ?? '';

function selectContainers(ours: ObservedContainer[], model: ComposeProject | undefined, services: readonly string[]): ObservedContainer[] {
  const inFile = ours.filter((container) => !model || serviceOf(container) in model.services);
  return services.length === 0 ? inFile : inFile.filter((container) => services.includes(serviceOf(container)));
}

/** The named services and, transitively, every service that depends on them (restart takes them along, as compose does). */
function withDependents(services: readonly string[], ours: ObservedContainer[], model: ComposeProject | undefined): string[] {
  if (services.length === 0) return [];
  const names = new Set(services);
  for (let grew = true; grew; ) {
    grew = false;
    for (const container of ours) {
      if (!names.has(serviceOf(container)) && dependenciesOf(container, model).some((dependency) => names.has(dependency))) {
        names.add(serviceOf(container));
        grew = true;
      }
    }
  }
  return [...names];
}

/** WaitContainer operations for the `service_healthy` and `service_completed_successfully` dependencies a starting container has among the selected ones. */
function dependencyWaits(container: ObservedContainer, model: ComposeProject | undefined, selected: ObservedContainer[], graph: OperationGraph, waits: Map<string, number>, order: DependencyOrder): number[] {
  const dependsOn = model?.services[serviceOf(container)]?.depends_on ?? {};
  return Object.entries(dependsOn).flatMap(([service, dependency]) => {
    const condition = WAIT_FOR[dependency.condition];
    if (!condition) return [];
    return selected
      .filter((target) => serviceOf(target) === service)
      .map((target) => {
        const key = `${target.name}|${condition}`;
        if (!waits.has(key)) {
          waits.set(key, graph.add({ kind: 'WaitContainer', container: target.name, condition, ...(dependency.required ? {} : { optional: true }), cause: `${serviceOf(container)} depends on ${service} (${dependency.condition})`, after: [order.done(target)] }));
        }
        return waits.get(key)!;
      });
  });
}

/**
 * Visits containers so that each one's operation comes after those of the containers it depends
 * on (forward) or of those depending on it (reverse); the visitor returns its operation, if any.
 */
class DependencyOrder {
  private readonly ids = new Map<string, number | undefined>();

  constructor(
    private readonly containers: readonly ObservedContainer[],
    private readonly model: ComposeProject | undefined,
  ) {}

  /** The operation made for a container, once visited. */
  done(container: ObservedContainer): number | undefined {
    return this.ids.get(container.id);
  }

  forward(visit: (container: ObservedContainer, after: (number | undefined)[]) => number | undefined): void {
    this.walk(visit, (container) => {
      const needs = dependenciesOf(container, this.model);
      return this.containers.filter((other) => needs.includes(serviceOf(other)));
    });
  }

  reverse(visit: (container: ObservedContainer, after: (number | undefined)[]) => number | undefined): void {
    this.walk(visit, (container) => this.containers.filter((other) => dependenciesOf(other, this.model).includes(serviceOf(container))));
  }

  private walk(visit: (container: ObservedContainer, after: (number | undefined)[]) => number | undefined, before: (container: ObservedContainer) => ObservedContainer[]): void {
    this.ids.clear();
    const visiting = new Set<string>();
    const go = (container: ObservedContainer): number | undefined => {
      if (this.ids.has(container.id)) return this.ids.get(container.id);
      if (visiting.has(container.id)) return undefined; // a cycle through labels: no order
      visiting.add(container.id);
      const id = visit(container, before(container).map(go));
      this.ids.set(container.id, id);
      return id;
    };
    for (const container of this.containers) go(container);
  }
}
