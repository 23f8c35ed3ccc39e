import { lazyPackage } from '../lazy-package.js';
import type { ComposeProject, ServiceConfig } from './model.js';

/** Keys of the model that are ours, not compose's, and stay out of `config` output. */
const INTERNAL_PROJECT_KEYS = new Set(['working_dir', 'config_files', 'disabled_services', 'profiles', 'extensions', 'environment']);

/**
 * The model in the shape `docker compose config --format json` prints: empty lists and maps
 * left out, `name` only at the top, extensions at the top level, keys sorted like compose.
 */
export function toComposeJson(project: ComposeProject): Record<string, unknown> {
  const out: Record<string, unknown> = { name: project.name };
  const services: Record<string, unknown> = {};
  for (const name of Object.keys(project.services).sort()) services[name] = serviceJson(project.services[name]!);
  out.services = services;
  for (const section of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    if (Object.keys(project[section]).length > 0) out[section] = sortKeys(project[section]);
  }
  for (const [key, value] of Object.entries(project)) {
    if (!(key in out) && !INTERNAL_PROJECT_KEYS.has(key) && !['services', 'networks', 'volumes', 'secrets', 'configs'].includes(key)) out[key] = value;
  }
  Object.assign(out, project.extensions);
  return out;
}

function serviceJson(service: ServiceConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(service).sort()) {
    if (key === 'name') continue;
    const value = service[key];
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    if (key === 'secrets' || key === 'configs') out[key] = (value as Record<string, unknown>[]).map(octalMode);
    // compose prints depends_on as a Go map: sorted by service, whether written or implied by links and the like.
    else if (key === 'depends_on') out[key] = sortKeys(value as Record<string, unknown>);
    else out[key] = value;
  }
  return out;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key]!;
  return out;
}

/** compose writes a file mode as an octal string ("0440"). */
function octalMode(mount: Record<string, unknown>): Record<string, unknown> {
  return typeof mount.mode === 'number' ? { ...mount, mode: `0${mount.mode.toString(8)}` } : mount;
}

/** A model as `config` prints it in YAML (toComposeJson's, or a stack's): no anchors for repeated values, no folded lines. */
export function toComposeYaml(json: Record<string, unknown>): string {
  return lazyPackage('yaml').stringify(json, { aliasDuplicateObjects: false, lineWidth: 0 });
}
