import type { PublishedPort } from '../engine/project-containers.js';
import { TscomposeError } from '../errors.js';
import type { ComposeProject, LoadOptions, LoaderWarning } from '../loader/index.js';
import { connectOrReuse, type EngineOptions } from './session.js';
import { runningContainer } from './service-container.js';
import { loadProjectOrName, requireServices } from './target.js';

export { ServiceNotRunningError } from './service-container.js';
/** The container runs, but the engine published no host port for that container port. */
export class PortNotPublishedError extends TscomposeError {}

export interface PortOptions extends LoadOptions, Pick<EngineOptions, 'connection'> {
  /** A project already loaded (library use); otherwise it is loaded with the LoadOptions, or named by `projectName` alone. */
  project?: ComposeProject;
  service: string;
  containerPort: number;
  /** Default tcp. */
  protocol?: string;
  /** Replica number, from 1 (default 1). */
  index?: number;
}

/** `port`: where on the host a running container's port is published, as the engine reports it. */
export async function port(options: PortOptions): Promise<{ binding: PublishedPort; warnings: LoaderWarning[] }> {
  // A named service enables its profiles, as compose does.
  const target = loadProjectOrName({ ...options, services: [options.service] });
  const { service, containerPort, protocol = 'tcp', index = 1 } = options;
  if (target.project) requireServices(target.project, [service]);
  const container = await runningContainer(await connectOrReuse(options), target.name, service, index);
  const binding = container.ports.find((candidate) => candidate.containerPort === containerPort && candidate.protocol === protocol);
  if (!binding) {
    const published = [...new Set(container.ports.map((candidate) => `${candidate.containerPort}/${candidate.protocol}`))];
    throw new PortNotPublishedError(`port ${containerPort}/${protocol} of ${container.name} is not published`, {
      hint: published.length > 0 ? `published: ${published.join(', ')}` : `the container publishes no ports; add them under services.${service}.ports`,
    });
  }
  return { binding, warnings: target.warnings };
}
