import type { Readable } from 'node:stream';
import type { EngineConnection } from '../engine/client.js';
import { containerLogs, listProjectContainers, type LogOptions } from '../engine/project-containers.js';
import type { ComposeProject, LoadOptions, LoaderWarning } from '../loader/index.js';
import { connectOrReuse, type EngineOptions } from './session.js';
import { loadProjectOrName, requireServices } from './target.js';

export type { LogLine, LogOptions } from '../engine/project-containers.js';

export interface LogsOptions extends LoadOptions, LogOptions, Pick<EngineOptions, 'connection'> {
  /** A project already loaded (library use); otherwise it is loaded with the LoadOptions, or named by `projectName` alone. */
  project?: ComposeProject;
  /** Only these services' containers; all when empty. */
  services?: string[];
  /** Only this replica (`--index`), from 1. */
  index?: number;
}

/** One container's output: an object-mode stream of LogLine; destroying it ends the request. */
export interface ContainerLog {
  name: string;
  lines: Readable;
}

/** `logs`: the output of every container of the project (stopped ones too), one stream each. */
export async function logs(options: LogsOptions = {}): Promise<{ logs: ContainerLog[]; warnings: LoaderWarning[] }> {
  const target = loadProjectOrName(options);
  const services = options.services ?? [];
  if (target.project) requireServices(target.project, services);
  const connection = await connectOrReuse(options);
  const listed = await listProjectContainers(connection, target.name, { all: true });
  const containers = listed.filter((container) => (services.length === 0 || services.includes(container.service)) && (options.index === undefined || container.number === options.index));
  return { logs: await logsOf(connection, containers, options), warnings: target.warnings };
}

/** The output of the given containers (by id or name), one stream each. */
export async function logsOf(connection: EngineConnection, containers: readonly { id: string; name: string }[], options: LogOptions): Promise<ContainerLog[]> {
  return Promise.all(containers.map(async (container) => ({ name: container.name, lines: await containerLogs(connection, container.id, options) })));
}
