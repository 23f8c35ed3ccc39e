import type { EngineConnection } from '../engine/client.js';
import { listProjectContainers, type ProjectContainer } from '../engine/project-containers.js';
import { TscomposeError } from '../errors.js';

/** The service has no running container (with that replica number) to act on. */
export class ServiceNotRunningError extends TscomposeError {}

/** The running container of a service's replica `index` (from 1), found by the project's labels; else why not, with the replicas that run. */
export async function runningContainer(connection: EngineConnection, project: string, service: string, index = 1): Promise<ProjectContainer> {
  const running = (await listProjectContainers(connection, project)).filter((container) => container.service === service);
  const container = running.find((candidate) => candidate.number === index);
  if (container) return container;
  throw new ServiceNotRunningError(`service "${service}" has no running container${index === 1 ? '' : ` number ${index}`}`, {
    hint: running.length > 0 ? `running replicas: ${running.map((candidate) => candidate.number).join(', ')}` : `start it with: tscompose up -d ${service}`,
  });
}
