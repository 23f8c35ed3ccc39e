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
  /** The container's name. */
  name: string;
  /** What compose prefixes its lines with: the name without the project (`web-1`), or a `container_name` as it is. */
  label: string;
  lines: Readable;
}

/** A container of the project, as logs names it. */
interface LoggedContainer {
  id: string;
  name: string;
  service: string;
  number: number;
}

/** `logs`: the output of every container of the project (stopped ones too), one stream each. */
export async function logs(options: LogsOptions = {}): Promise<{ logs: ContainerLog[]; warnings: LoaderWarning[] }> {
  const target = loadProjectOrName(options);
  const services = options.services ?? [];
  if (target.project) requireServices(target.project, services);
  const connection = await connectOrReuse(options);
  const listed = await listProjectContainers(connection, target.name, { all: true });
  const containers = listed.filter((container) => (services.length === 0 || services.includes(container.service)) && (options.index === undefined || container.number === options.index));
  return { logs: await logsOf(connection, target.name, containers, options), warnings: target.warnings };
}

/** The output of the given containers of `project` (by id or name), one stream each. */
export async function logsOf(connection: EngineConnection, project: string, containers: readonly LoggedContainer[], options: LogOptions): Promise<ContainerLog[]> {
  return Promise.all(containers.map(async (container) => ({ name: container.name, label: logLabel(project, container), lines: await containerLogs(connection, container.id, options) })));
}

/** compose's name for a container in logs: `web-1` for `demo-web-1`; a `container_name` as it is. */
export function logLabel(project: string, { name, service, number }: Omit<LoggedContainer, 'id'>): string {
  return name === `${project}-${service}-${number}` ? `${service}-${number}` : name;
}
