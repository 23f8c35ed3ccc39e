import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { SchemaError, UnresolvedReferenceError, type TscomposeError } from '../errors.js';
import { quotedBooleans } from './check-networks.js';
import { ENGINE_VOLUME_NAME, nameRuleHint } from './engine-names.js';
import type { At } from './checks.js';
import type { Locator } from './locator.js';
import type { ComposeProject, ServiceConfig } from './model.js';
import { joinPath } from './source-file.js';
import { didYouMean, namesOf } from './suggest.js';

/**
 * What services use besides networks, checked before anything is created: named volumes,
 * secrets and configs that the project defines, the files behind those, build contexts that exist
 * (with `consistency`, which `config --no-consistency` turns off as compose's flag does), and
 * volume names the engine takes. Without this the engine creates an unlabelled volume for an
 * undefined one, and an undefined secret is silently left out.
 */
export function checkResources(project: ComposeProject, locator: Locator, { consistency }: { consistency: boolean }): TscomposeError[] {
  const errors: TscomposeError[] = [];
  const at: At = (path, prefer = 'value') => locator.locate(path, prefer);
  const usedSecrets = new Set<string>();
  const usedConfigs = new Set<string>();
  const uses = (service: ServiceConfig, section: 'secrets' | 'configs', defined: Record<string, unknown>, used: Set<string>) => {
    references(service[section]).forEach(({ name, index }) => {
      used.add(name);
      if (Object.hasOwn(defined, name)) return;
      errors.push(new UnresolvedReferenceError(`service "${service.name}" uses undefined ${section === 'secrets' ? 'secret' : 'config'} "${name}"`, {
        location: at(joinPath(joinPath(joinPath('services', service.name), section), index)),
        hint: didYouMean(name, namesOf(defined)) ?? `declare it under the top-level ${section}: section`,
      }));
    });
  };
  for (const service of consistency ? Object.values(project.services) : []) {
    // Paths are made for what is reported: this runs for every service.
    (service.volumes ?? []).forEach((volume, index) => {
      if (volume.type !== 'volume' || volume.source === undefined || Object.hasOwn(project.volumes, volume.source)) return;
      errors.push(new UnresolvedReferenceError(`service "${service.name}" mounts undefined volume "${volume.source}"`, {
        location: at(joinPath(joinPath(joinPath('services', service.name), 'volumes'), index)),
        hint: didYouMean(volume.source, namesOf(project.volumes)) ?? `declare it under the top-level volumes: section, or write a path (./${volume.source}) to mount a host directory`,
      }));
    });
    if (service.secrets !== undefined) uses(service, 'secrets', project.secrets, usedSecrets);
    if (service.configs !== undefined) uses(service, 'configs', project.configs, usedConfigs);
    if (service.build !== undefined) checkBuildContext(service, joinPath('services', service.name), at, errors);
  }
  for (const [section, used] of [['secrets', usedSecrets], ['configs', usedConfigs]] as const) {
    for (const [key, config] of Object.entries(project[section])) {
      const base = joinPath(section, key);
      errors.push(...quotedBooleans(config, base, ['external'], at));
      if (!consistency || !used.has(key) || config.external === true || typeof config.file !== 'string') continue;
      const path = resolve(project.working_dir, config.file);
      if (existsSync(path)) continue;
      errors.push(new UnresolvedReferenceError(`${base}.file does not exist: ${path}`, { location: at(joinPath(base, 'file')) }));
    }
  }
  for (const [key, volume] of Object.entries(project.volumes)) {
    const base = joinPath('volumes', key);
    errors.push(...quotedBooleans(volume, base, ['external'], at));
    const local = volume.driver === undefined || volume.driver === 'local';
    if (volume.external === true || !local || typeof volume.name !== 'string' || ENGINE_VOLUME_NAME.test(volume.name)) continue;
    errors.push(new SchemaError(`${base}: "${volume.name}" cannot be a volume name`, { location: at(joinPath(base, 'name')), hint: nameRuleHint('volume') }));
  }
  return errors;
}

/** `secrets: [a, {source: b}]` as names with the index of their entry. */
function references(list: unknown): { name: string; index: number }[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry, index) => {
    const name = typeof entry === 'string' ? entry : (entry as { source?: unknown } | null)?.source;
    return typeof name === 'string' ? [{ name, index }] : [];
  });
}

/** A local build context must be a directory; a URL or a git remote is the builder's to fetch. */
function checkBuildContext(service: ServiceConfig, base: string, at: At, errors: TscomposeError[]): void {
  const context = service.build?.context;
  if (typeof context !== 'string' || !isAbsolute(context)) return;
  let isDirectory = false;
  try {
    isDirectory = statSync(context).isDirectory();
  } catch {
    // Missing: reported below like a file.
  }
  if (isDirectory) return;
  const path = joinPath(joinPath(base, 'build'), 'context');
  errors.push(new UnresolvedReferenceError(`${path} ${existsSync(context) ? 'is not a directory' : 'does not exist'}: ${context}`, {
    location: at(path),
    hint: 'the build context is the directory the Dockerfile is built from, relative to the compose file',
  }));
}
