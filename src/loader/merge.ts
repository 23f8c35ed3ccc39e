import { isRecord } from './canonicalize.js';
import { Override, RESET } from './parse.js';

type Data = Record<string, unknown>;

/** Service keys whose value replaces the earlier one instead of merging with it. */
const REPLACED = new Set(['command', 'entrypoint', 'healthcheck.test', 'image', 'build.dockerfile', 'build.dockerfile_inline']);

/** Service sequences that merge by value: the union, in order, each entry once (`*` stands for any one key). */
const UNION_BY_VALUE = new Set([
  'ports', 'expose', 'dns', 'dns_search', 'dns_opt', 'extra_hosts', 'cap_add', 'cap_drop', 'security_opt', 'profiles',
  'links', 'external_links', 'group_add', 'env_file', 'tmpfs', 'device_cgroup_rules', 'volumes_from', 'build.tags',
  'build.extra_hosts', 'build.cache_from', 'build.cache_to', 'build.platforms', 'label_file', 'networks.*.aliases', 'networks.*.link_local_ips',
]);

/**
 * Service sequences whose entries are keyed by where they mount: a later entry for the same place
 * replaces the earlier one. A secret or config without a target mounts at compose-go's default.
 */
const UNION_BY_TARGET: Record<string, (item: unknown) => string> = {
  volumes: (item) => mountTarget(item, ''),
  devices: (item) => mountTarget(item, ''),
  secrets: (item) => mountTarget(item, '/run/secrets'),
  configs: (item) => mountTarget(item, ''),
};

/** `networks.front.aliases` → `networks.*.aliases`: how a service path is looked up in the tables above. */
function pattern(path: string): string {
  return path.startsWith('networks.') ? path.replace(/^networks\.[^.]+\./, 'networks.*.') : path;
}

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
    } else if (key === 'networks' && isRecord(value) && isRecord(result[key])) {
      const networks: Data = { ...(result[key] as Data) };
      for (const [name, network] of Object.entries(value)) {
        if (network === RESET) delete networks[name];
        else networks[name] = mergeNetwork(networks[name], network);
      }
      result[key] = networks;
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
    const byTarget = UNION_BY_TARGET[path];
    if (byTarget) return unionBy(base, items, byTarget);
    if (UNION_BY_VALUE.has(pattern(path))) return unionBy(base, items, (item) => (typeof item === 'object' ? JSON.stringify(item) : String(item)));
    return [...base, ...items];
  }
  return stripMergeTags(override);
}

/** A top-level network: merged key by key, its ipam pools by subnet (as compose-go's mergeIPAMConfig). */
function mergeNetwork(base: unknown, override: unknown): unknown {
  const merged = mergeValue(base, override, 'network');
  const baseIpam = isRecord(base) && isRecord(base.ipam) ? base.ipam : undefined;
  const overrideIpam = isRecord(override) && isRecord(override.ipam) ? override.ipam : undefined;
  if (!isRecord(merged) || !isRecord(merged.ipam) || !Array.isArray(baseIpam?.config) || !Array.isArray(overrideIpam?.config)) return merged;
  const pools = new Map<unknown, unknown>();
  for (const pool of [...baseIpam.config, ...overrideIpam.config]) {
    const subnet = isRecord(pool) ? pool.subnet : undefined;
    const earlier = pools.get(subnet);
    pools.set(subnet, earlier === undefined ? stripMergeTags(pool) : mergeValue(earlier, pool, 'network.ipam.config'));
  }
  return { ...merged, ipam: { ...merged.ipam, config: [...pools.values()] } };
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

/** The container path a volume, secret, config or device entry mounts at; a mount without a target goes under `defaultDir`. */
function mountTarget(item: unknown, defaultDir: string): string {
  if (isRecord(item)) return typeof item.target === 'string' ? item.target : `${defaultDir}/${String(item.source)}`;
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
    return out;
  }
  return value;
}
