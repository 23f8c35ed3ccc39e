import { fileObject, fileObjectContent, type FileObjectKind } from '../loader/file-objects.js';
import type { ComposeProject, ServiceConfig, ServiceFileReference } from '../loader/model.js';
import { optional } from './optional.js';
import type { ContainerFile, ContainerMount } from './types.js';

/** Mode of a written secret or config when the entry gives none, as compose's createTar. */
const DEFAULT_MODE = 0o444;

/** A service's `secrets:` and `configs:` entries with the definition each names, in file order. */
interface FileReference {
  kind: FileObjectKind;
  index: number;
  reference: ServiceFileReference;
  definition: Record<string, unknown>;
  target: string;
}

function references(service: ServiceConfig, project: ComposeProject): FileReference[] {
  const entries = (kind: FileObjectKind, list: ServiceFileReference[] | undefined) =>
    (list ?? []).flatMap((reference, index) => {
      const definition = fileObject(project, kind, reference.source);
      return definition === undefined ? [] : [{ kind, index, reference, definition, target: fileTarget(kind, reference) }];
    });
  return [...entries('secret', service.secrets), ...entries('config', service.configs)];
}

/** Where compose puts it: a secret under /run/secrets, a config under /, unless the target is absolute. */
export function fileTarget(kind: FileObjectKind, reference: ServiceFileReference): string {
  const directory = kind === 'secret' ? '/run/secrets/' : '/';
  const target = reference.target ?? reference.source;
  return target.startsWith('/') ? target : `${directory}${target}`;
}

/** Given by `environment:` or `content:`: written into the container, not mounted. */
function isWritten(definition: Record<string, unknown>): boolean {
  return definition.environment !== undefined || definition.content !== undefined;
}

/** What can be mounted or written: a place a volume takes keeps the volume, the first entry for a place wins (compose's fillBindMounts). */
function usable(service: ServiceConfig, project: ComposeProject): FileReference[] {
  const taken = new Set((service.volumes ?? []).map((volume) => volume.target));
  return references(service, project).filter((file) => {
    if (taken.has(file.target) || file.definition.external === true || file.definition.driver !== undefined || file.definition.template_driver !== undefined) return false;
    taken.add(file.target);
    return true;
  });
}

/** Secrets and configs that are files: bind-mounted read-only, as compose's buildContainerSecretMounts and buildContainerConfigMounts. */
export function fileMounts(service: ServiceConfig, project: ComposeProject): ContainerMount[] {
  return usable(service, project)
    .filter((file) => !isWritten(file.definition) && typeof file.definition.file === 'string')
    .map((file) => ({ Type: 'bind', Source: file.definition.file as string, Target: file.target, ReadOnly: true }));
}

/**
 * Secrets and configs given by `environment:` or `content:`: each a file written into the
 * container after create, before start (compose's injectSecrets, injectConfigs). The plan names
 * the secret or config; its text is taken from the project when the file is written, so the plan
 * (and `--dry-run`) never holds it.
 */
export function writtenFiles(service: ServiceConfig, project: ComposeProject): ContainerFile[] {
  return usable(service, project)
    .filter((file) => isWritten(file.definition))
    .map(({ kind, reference, target }) => ({
      from: kind,
      name: reference.source,
      target,
      mode: reference.mode ?? DEFAULT_MODE,
      ...(reference.uid === undefined ? {} : { uid: Number(reference.uid) }),
      ...(reference.gid === undefined ? {} : { gid: Number(reference.gid) }),
    }));
}

/** What cannot reach the container as the file says: each a `setting` under the service and why. */
export function unsupportedFiles(service: ServiceConfig, project: ComposeProject): { setting: string; why: string }[] {
  const refusals: { setting: string; why: string }[] = [];
  for (const { kind, index, reference, definition } of references(service, project)) {
    const setting = `${kind}s[${index}]`;
    const defined = `${kind} "${reference.source}"`;
    if (definition.external === true) refusals.push({ setting, why: `${defined} is external, which only a swarm provides (compose refuses it too)` });
    for (const option of ['driver', 'template_driver']) {
      if (definition[option] !== undefined) refusals.push({ setting, why: `${defined} has ${option}, which only a swarm honours` });
    }
    if (!isWritten(definition)) continue;
    if (typeof definition.environment === 'string' && project.environment[definition.environment] === undefined) {
      refusals.push({ setting, why: `${defined} takes its text from the variable ${definition.environment}, which is not set` });
    }
    if (service.read_only === true) refusals.push({ setting, why: `${defined} is written into the container, whose filesystem is read-only (read_only: true); give it as file:` });
    for (const id of ['uid', 'gid'] as const) {
      if (reference[id] !== undefined && !/^\d+$/.test(String(reference[id]))) refusals.push({ setting: `${setting}.${id}`, why: `"${reference[id]}" is not a number` });
    }
  }
  return refusals;
}

/** File secrets and configs are mounted as they are: compose ignores an owner or mode given for them, and says so. */
export function fileWarnings(service: ServiceConfig, project: ComposeProject): string[] {
  return usable(service, project)
    .filter((file) => !isWritten(file.definition) && (file.reference.uid !== undefined || file.reference.gid !== undefined || file.reference.mode !== undefined))
    .map((file) => `services.${service.name}.${file.kind}s[${file.index}]: uid, gid and mode are ignored for a ${file.kind} given as file: (it is mounted as the file is)`);
}

/**
 * The service as the config hash sees it: each written secret or config carries a digest of its
 * text, so that a changed value recreates the container (the file is written at create) and
 * the change is named as secret, never shown.
 */
export function withContentDigests(service: ServiceConfig, project: ComposeProject): ServiceConfig {
  let digested = false;
  const digest = (kind: FileObjectKind, list: ServiceFileReference[] | undefined) =>
    list?.map((reference) => {
      const definition = fileObject(project, kind, reference.source);
      if (definition === undefined || !isWritten(definition)) return reference;
      digested = true;
      const text = fileObjectContent(project, kind, reference.source) ?? '';
      return { ...reference, content: { $secret: process.getBuiltinModule('node:crypto').createHash('sha256').update(text).digest('hex') } };
    });
  const secrets = digest('secret', service.secrets);
  const configs = digest('config', service.configs);
  return digested ? { ...service, ...optional('secrets', secrets), ...optional('configs', configs) } : service;
}
