import { basename } from 'node:path';
import { ProjectNameError, type SourceLocation } from '../errors.js';

const VALID_PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** Compose's normalization of a directory name: lower case, only a-z 0-9 _ -, starting with a letter or digit. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
}

export interface ProjectNameSources {
  /** `-p` on the command line. */
  flag?: string;
  /** `COMPOSE_PROJECT_NAME` from the environment or .env. */
  environment?: string;
  /** Top-level `name:` of the compose file, with where it was written. */
  file?: { name: string; location?: SourceLocation };
  projectDir: string;
}

/**
 * The project name, from the first source that gives one: `-p`, `COMPOSE_PROJECT_NAME`,
 * top-level `name:`, the project directory's base name. An explicit name that compose would
 * reject is an error; a directory name is normalized.
 */
export function resolveProjectName(sources: ProjectNameSources): string {
  const explicit: [string | undefined, string, SourceLocation | undefined][] = [
    [sources.flag, '-p', undefined],
    [sources.environment, 'COMPOSE_PROJECT_NAME', undefined],
    [sources.file?.name, 'name:', sources.file?.location],
  ];
  for (const [name, origin, location] of explicit) {
    if (name === undefined || name === '') continue;
    if (!VALID_PROJECT_NAME.test(name)) {
      throw new ProjectNameError(`invalid project name "${name}" (from ${origin}): it must contain only lowercase letters, digits, "_" and "-", and start with a letter or digit`, {
        location,
        hint: normalizeProjectName(name) ? `did you mean "${normalizeProjectName(name)}"?` : undefined,
      });
    }
    return name;
  }
  const fromDir = normalizeProjectName(basename(sources.projectDir));
  if (fromDir === '') {
    throw new ProjectNameError(`the project directory's name "${basename(sources.projectDir)}" gives no valid project name`, {
      hint: 'name the project with -p, COMPOSE_PROJECT_NAME or a top-level name:',
    });
  }
  return fromDir;
}
