import { listProjectContainers, type ProjectContainer } from '../engine/project-containers.js';
import type { ComposeProject, LoadOptions } from '../loader/index.js';
import { connectOrReuse, type EngineOptions } from './session.js';
import { loadProjectOrName, requireServices } from './target.js';

export interface PsOptions extends LoadOptions, Pick<EngineOptions, 'connection'> {
  /** A project already loaded (library use); otherwise it is loaded with the LoadOptions, or named by `projectName` alone. */
  project?: ComposeProject;
  /** Only these services' containers. */
  services?: string[];
  /** Stopped containers too (`-a`); by default only running ones. */
  all?: boolean;
}

/**
 * The project's containers, found by its label (what `ps` lists and `ps --format json` prints),
 * sorted by service then replica number.
 */
export async function ps(options: PsOptions = {}): Promise<ProjectContainer[]> {
  const target = loadProjectOrName(options);
  const services = options.services ?? [];
  if (target.project) requireServices(target.project, services);
  const listed = await listProjectContainers(await connectOrReuse(options), target.name, { all: Boolean(options.all) });
  return services.length > 0 ? listed.filter((container) => services.includes(container.service)) : listed;
}
