import { LABEL } from '../planner/labels.js';
import type { EngineConnection } from './client.js';
import { compareText } from './responses.js';

/** A compose project as `ls` shows it: found by its containers' labels (projects of docker compose v2 too). */
export interface ComposeProjectSummary {
  name: string;
  /** Container count by state, as compose prints it: `running(3)`, `exited(1), running(2)`. */
  status: string;
  /** The compose files its containers were made from, comma-separated, as their label holds them. */
  configFiles: string;
  /** Containers by state. */
  states: Record<string, number>;
}

/** Every compose project that has containers on the engine, sorted by name. */
export async function listComposeProjects(connection: EngineConnection): Promise<ComposeProjectSummary[]> {
  const containers = await connection.docker.listContainers({ all: true, filters: { label: [LABEL.project] } });
  const projects = new Map<string, { states: Record<string, number>; files: Set<string> }>();
  for (const container of containers) {
    const name = container.Labels[LABEL.project]!;
    const project = projects.get(name) ?? { states: {}, files: new Set<string>() };
    project.states[container.State] = (project.states[container.State] ?? 0) + 1;
    for (const file of (container.Labels[LABEL.configFiles] ?? '').split(',').filter(Boolean)) project.files.add(file);
    projects.set(name, project);
  }
  return [...projects.entries()]
    .map(([name, { states, files }]) => ({
      name,
      status: Object.keys(states).sort(compareText).map((state) => `${state}(${states[state]})`).join(', '),
      configFiles: [...files].join(','),
      states,
    }))
    .sort((a, b) => compareText(a.name, b.name));
}
