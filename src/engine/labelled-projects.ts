import { LABEL } from '../planner/labels.js';
import type { EngineConnection } from './client.js';
import { compareText } from './responses.js';

/** A compose project on the engine whose resources carry a given label. */
export interface LabelledProject {
  name: string;
  /** The labels of one of its resources (a container where there is one): they name the project's owner. */
  labels: Record<string, string>;
  containers: number;
  networks: number;
  volumes: number;
}

/**
 * The projects having a container, network or volume that carries `label` (any value), found
 * by label filters only, sorted by name.
 */
export async function listLabelledProjects(connection: EngineConnection, label: string): Promise<LabelledProject[]> {
  const { docker } = connection;
  const filters = { label: [label] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  const projects = new Map<string, LabelledProject>();
  const count = (labels: Record<string, string> | undefined, kind: 'containers' | 'networks' | 'volumes') => {
    const name = labels?.[LABEL.project];
    if (!name) return;
    const project = projects.get(name) ?? { name, labels, containers: 0, networks: 0, volumes: 0 };
    project[kind] += 1;
    projects.set(name, project);
  };
  for (const container of containers) count(container.Labels, 'containers');
  for (const network of networks) count(network.Labels, 'networks');
  for (const volume of volumes.Volumes ?? []) count(volume.Labels ?? undefined, 'volumes');
  return [...projects.values()].sort((a, b) => compareText(a.name, b.name));
}
