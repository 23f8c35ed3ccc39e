import { listComposeProjects, type ComposeProjectSummary } from '../engine/compose-projects.js';
import { connectOrReuse, type EngineOptions } from './session.js';

export interface LsOptions extends Pick<EngineOptions, 'connection'> {
  /** `-a`: stopped projects too; by default only those with a running container. */
  all?: boolean;
  /** `--filter name=…`: only projects whose name contains it. */
  name?: string;
}

/** `ls`: the compose projects on the engine, from their containers' labels, whoever made them. */
export async function ls(options: LsOptions = {}): Promise<ComposeProjectSummary[]> {
  const projects = await listComposeProjects(await connectOrReuse(options));
  return projects.filter((project) => (options.all || (project.states.running ?? 0) > 0) && (options.name === undefined || project.name.includes(options.name)));
}
