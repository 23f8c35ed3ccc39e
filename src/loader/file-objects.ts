import type { ComposeProject } from './model.js';

/** Top-level `secrets:` or `configs:`. */
export type FileObjectKind = 'secret' | 'config';

/** The definition a service's `secrets:` or `configs:` entry names; undefined when the project has none by that key. */
export function fileObject(project: ComposeProject, kind: FileObjectKind, key: string): Record<string, unknown> | undefined {
  return (kind === 'secret' ? project.secrets : project.configs)[key];
}

/**
 * The text of a secret or config the project gives itself, as compose's resolveFileContent:
 * `content:`, or the value of the variable `environment:` names (the environment interpolation
 * saw, .env included). Undefined for one that is a file, and for a variable that is not set.
 */
export function fileObjectContent(project: ComposeProject, kind: FileObjectKind, key: string): string | undefined {
  const definition = fileObject(project, kind, key);
  if (typeof definition?.content === 'string') return definition.content;
  if (typeof definition?.environment === 'string') return project.environment[definition.environment];
  return undefined;
}

/** The texts a plan's CopyToContainer operations name, looked up in the project when they run. */
export function fileTexts(project: ComposeProject): (file: { from: FileObjectKind; name: string }) => string | undefined {
  return (file) => fileObjectContent(project, file.from, file.name);
}
