import { isRecord } from './canonicalize.js';
import { Override, RESET } from './parse.js';

type Data = Record<string, unknown>;

/** Service keys whose value replaces the earlier one instead of merging with it. */
const REPLACED = new Set(['command', 'entrypoint', 'healthcheck.test', 'image', 'build.dockerfile', 'build.dockerfile_inline']);

/** Service sequences that merge by value: the union, in order, each entry once. */
const UNION_BY_VALUE = new Set([
  'ports', 'expose', 'dns', 'dns_search', 'dns_opt', 'extra_hosts', 'cap_add', 'cap_drop', 'security_opt', 'profiles',
  'links', 'external_links', 'group_add', 'env_file', 'tmpfs', 'device_cgroup_rules', 'volumes_from', 'build.tags',
  'build.extra_hosts', 'build.cache_from', 'build.cache_to', 'build.platforms', 'label_file',
]);

/** Service sequences whose entries are keyed by their mount target: a later entry for the same target replaces. */
const UNION_BY_TARGET = new Set(['volumes', 'secrets', 'configs', 'devices']);

/**
 * Merges the data of a later compose file into an earlier one by the compose specification's
 * rules: mappings merge key by key, `command`/`entrypoint` replace, `ports`/`expose`/`dns`/…
 * merge by value, mounts by target; `!reset` removes and `!override` replaces.
 */
export function mergeComposeData(base: Data, override: Data): Data {
  const result: Data = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === RESET) {
      delete result[key];
    } else if (value instanceof Override) {
      result[key] = stripMergeTags(value.value);
    } else if (key === 'services' && isRecord(value) && isRecord(result[key])) {
      const services: Data = { ...(result[key] as Data) };
      for (const [name, service] of Object.entries(value)) {
        if (service === RESET) delete services[name];
        else if (service instanceof Override || !isRecord(services[name]) || !isRecord(service)) services[name] = stripMergeTags(service instanceof Override ? service.value : service);
        else services[name] = mergeService(services[name] as Data, service);
      }
      result[key] = services;
    } else if (key === 'include' && Array.isArray(value) && Array.isArray(result[key])) {
      result[key] = [...(result[key] as unknown[]), ...value];
    } else {
      result[key] = mergeValue(result[key], value, '');
    }
  }
  return result;
}

/** Merges one service's configuration into another's (also used by `extends`). */
export function mergeService(base: Data, override: Data): Data {
  return mergeValue(base, override, '') as Data;
}

function mergeValue(base: unknown, override: unknown, path: string): unknown {
  if (override === RESET) return undefined;
  if (override instanceof Override) return stripMergeTags(override.value);
  if (REPLACED.has(path)) return stripMergeTags(override);
  if (isRecord(base) && isRecord(override)) {
    if (path === 'logging' && override.driver !== undefined && override.driver !== base.driver) return stripMergeTags(override);
    const result: Data = { ...base };
    for (const [key, value] of Object.entries(override)) {
      const merged = mergeValue(result[key], value, path === '' ? key : `${path}.${key}`);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    }
    return result;
  }
  if (Array.isArray(base) && Array.isArray(override)) {
    const items = override.filter((item) => item !== RESET).map(stripMergeTags);
    if (UNION_BY_TARGET.has(path)) return unionBy(base, items, mountTarget);
    if (UNION_BY_VALUE.has(path)) return unionBy(base, items, (item) => (typeof item === 'object' ? JSON.stringify(item) : String(item)));
    return [...base, ...items];
  }
  return stripMergeTags(override);
}

function unionBy(base: unknown[], additions: unknown[], keyOf: (item: unknown) => string): unknown[] {
  const byKey = new Map<string, unknown>();
  for (const item of [...base, ...additions]) {
    const key = keyOf(item);
    byKey.delete(key);
    byKey.set(key, item);
  }
  // A later entry replaces an earlier one with the same key; the order is that of first appearance otherwise.
  const order = [...new Set([...base, ...additions].map(keyOf))];
  return order.map((key) => byKey.get(key));
}

/** The container path a volume, secret, config or device entry mounts at. */
function mountTarget(item: unknown): string {
  if (isRecord(item)) return String(item.target ?? item.source ?? JSON.stringify(item));
  const text = String(item);
  const parts = text.split(':');
  return parts.length >= 2 ? parts[1]! : parts[0]!;
}

/** Removes what `!reset` marks and unwraps `!override`: the data as if written without tags. */
export function stripMergeTags(value: unknown): unknown {
  if (value instanceof Override) return stripMergeTags(value.value);
  if (Array.isArray(value)) return value.filter((item) => item !== RESET).map(stripMergeTags);
  if (isRecord(value)) {
    const out: Data = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== RESET) out[key] = stripMergeTags(item);
    }
    // Keep the hidden location of long-form ports.
    for (const symbol of Object.getOwnPropertySymbols(value)) Object.defineProperty(out, symbol, { value: (value as Record<symbol, unknown>)[symbol], enumerable: false });
    return out;
  }
  return value;
}
