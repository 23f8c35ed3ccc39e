import { listContainerSummaries, listProjectContainers, type ContainerSummary, type ProjectContainer } from '../engine/project-containers.js';
import type { ComposeProject, LoadOptions } from '../loader/index.js';
import { connectOrReuse, type EngineOptions } from './session.js';
import { loadProjectOrName, requireServices } from './target.js';
import { checkEngineCall } from '../arguments.js';

export interface PsOptions extends LoadOptions, Pick<EngineOptions, 'connection'> {
  /** A project already loaded (library use); otherwise it is loaded with the LoadOptions, or named by `projectName` alone. */
  project?: ComposeProject;
  /** Only these services' containers. */
  services?: string[];
  /** Stopped containers too (`-a`); by default only running ones. */
  all?: boolean;
}

/**
 * The project's containers, found by its label (what `ps` lists), sorted by service then replica
 * number.
 */
export async function ps(options: PsOptions = {}): Promise<ProjectContainer[]> {
  checkEngineCall(options, 'ps');
  return listSelected(options, listProjectContainers);
}

/**
 * The project's containers with compose's field names (`Name`, `Service`, `State`, `Health`,
 * `ExitCode`, `Publishers`…), sorted by name: what `ps --format json` prints, one per line.
 */
export async function containerSummaries(options: PsOptions = {}): Promise<ContainerSummary[]> {
  checkEngineCall(options, 'containerSummaries');
  return listSelected(options, listContainerSummaries);
}

async function listSelected<T extends { service?: string; Service?: string }>(
  options: PsOptions,
  list: (connection: Awaited<ReturnType<typeof connectOrReuse>>, project: string, options: { all: boolean }) => Promise<T[]>,
): Promise<T[]> {
  const target = loadProjectOrName(options);
  const services = options.services ?? [];
  if (target.project) requireServices(target.project, services);
  const listed = await list(await connectOrReuse(options), target.name, { all: Boolean(options.all) });
  return services.length > 0 ? listed.filter((container) => services.includes(container.service ?? container.Service ?? '')) : listed;
}
