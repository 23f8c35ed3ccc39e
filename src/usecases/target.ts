import { ComposeFileNotFoundError, NoSuchServiceError } from '../errors.js';
import { load, type ComposeProject, type LoadOptions, type LoaderWarning } from '../loader/index.js';
import { didYouMean } from '../loader/suggest.js';

/** The project a reading command looks at: the loaded model, or only its name (`-p`) when there is no compose file. */
export interface ProjectTarget {
  name: string;
  project?: ComposeProject;
  warnings: LoaderWarning[];
}

/** The project the options carry (library use), else the one they load. */
export function loadProject(options: LoadOptions & { project?: ComposeProject }): { project: ComposeProject; warnings: LoaderWarning[] } {
  return options.project ? { project: options.project, warnings: [] } : load(options);
}

/** Loads the project; with no compose file but a project name, the name alone, as the engine's labels are enough to read it. */
export function loadProjectOrName(options: LoadOptions & { project?: ComposeProject }): ProjectTarget {
  try {
    const { project, warnings } = loadProject(options);
    return { name: project.name, project, warnings };
  } catch (error) {
    if (error instanceof ComposeFileNotFoundError && options.projectName) return { name: options.projectName, warnings: [] };
    throw error;
  }
}

/** Throws for a name that is not a service of the project, suggesting the closest one. */
export function requireServices(project: ComposeProject, names: readonly string[]): void {
  const services = Object.keys(project.services);
  for (const name of names) {
    if (!project.services[name]) throw new NoSuchServiceError(`no such service: ${name}`, { hint: didYouMean(name, services) ?? `services: ${services.join(', ')}` });
  }
}
