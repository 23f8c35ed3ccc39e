import { followProjectEvents, type ProjectEvent } from '../engine/container-inspection.js';
import type { ComposeProject, LoadOptions } from '../loader/index.js';
import { connectOrReuse, type EngineOptions } from './session.js';
import { loadProjectOrName, requireServices } from './target.js';

export interface EventsOptions extends LoadOptions, Pick<EngineOptions, 'connection'> {
  project?: ComposeProject;
  /** Only these services' events. */
  services?: string[];
  /** Ends the following. */
  signal: AbortSignal;
  onProjectEvent: (event: ProjectEvent) => void;
}

/** `events`: the project's container events as they happen, until `signal` aborts. */
export async function events(options: EventsOptions): Promise<void> {
  const target = loadProjectOrName(options);
  const services = options.services ?? [];
  if (target.project) requireServices(target.project, services);
  await followProjectEvents(await connectOrReuse(options), target.name, (event) => (services.length === 0 || services.includes(event.service) ? options.onProjectEvent(event) : undefined), options.signal);
}
