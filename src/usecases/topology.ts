import type { LoadOptions, LoaderWarning } from '../loader/index.js';
import { plan, type Plan } from '../planner/index.js';
import { loadProject } from './target.js';
import type { ComposeProject } from '../loader/index.js';

export interface TopologyOptions extends LoadOptions {
  project?: ComposeProject;
  /** Only these services, with what they need; all when empty. */
  services?: string[];
}

/** The topology the file describes (what `graph` draws): the plan from empty state, without asking the engine. */
export function topology(options: TopologyOptions = {}): { plan: Plan; warnings: LoaderWarning[] } {
  const { project, warnings } = loadProject(options);
  return { plan: plan(project, undefined, { services: options.services ?? [] }), warnings };
}
