import type { EngineConnection } from '../engine/client.js';
import { listProjectContainers } from '../engine/project-containers.js';
import { TscomposeError } from '../errors.js';
import type { ComposeProject, LoadOptions } from '../loader/index.js';
import { endpointsOf, type ProjectEnv } from './endpoints.js';
import { linkVariables } from './link-variables.js';
import { connectOrReuse, type EngineOptions } from './session.js';
import { loadProjectOrName, requireServices } from './target.js';
import { checkEngineCall } from '../arguments.js';

/** `env` found no running container to read ports from. */
export class ProjectNotRunningError extends TscomposeError {}

export interface EnvOptions extends LoadOptions, Pick<EngineOptions, 'connection'> {
  /** A project already loaded (library use); otherwise it is loaded with the LoadOptions, or named by `projectName` alone. */
  project?: ComposeProject;
  /** Only these services. */
  services?: string[];
}

/**
 * Where each published port of the project's running containers is reachable from this
 * machine, read from the engine (so random host ports are the real ones), and the same as
 * Docker link variables. Throws ProjectNotRunningError when none of the containers runs.
 */
export async function env(options: EnvOptions = {}): Promise<ProjectEnv> {
  checkEngineCall(options, 'env');
  const target = loadProjectOrName(options);
  const services = options.services ?? [];
  if (target.project) requireServices(target.project, services);
  const connection = await connectOrReuse(options);
  const listed = await listProjectContainers(connection, target.name);
  const running = services.length > 0 ? listed.filter((container) => services.includes(container.service)) : listed;
  if (running.length === 0) {
    const what = services.length > 0 ? `service${services.length === 1 ? '' : 's'} ${services.join(', ')} of project "${target.name}"` : `project "${target.name}"`;
    throw new ProjectNotRunningError(`no container of ${what} is running`, { hint: 'bring it up first: tscompose up --wait' });
  }
  const endpoints = endpointsOf(running, { engineHost: remoteEngineHost(connection) });
  return { project: target.name, endpoints, variables: linkVariables(endpoints) };
}

/** The engine's host when DOCKER_HOST is tcp:// or ssh://: where its wildcard bindings answer. */
function remoteEngineHost(connection: EngineConnection): string | undefined {
  const { host } = connection.address.options;
  return typeof host === 'string' && host !== '127.0.0.1' && host !== 'localhost' ? host : undefined;
}
