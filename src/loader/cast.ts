import type { PathSegment } from './source-file.js';

/**
 * Interpolation turns `replicas: ${N}` into the string "3"; compose casts such values back at
 * the paths where the schema wants a number or a boolean. The same table, as path patterns.
 */
type Cast = 'int' | 'float' | 'bool';

const CASTS: [pattern: string, cast: Cast][] = [
  ['services.*.blkio_config.weight', 'int'],
  ['services.*.blkio_config.weight_device.*.weight', 'int'],
  ['services.*.build.privileged', 'bool'],
  ['services.*.build.no_cache', 'bool'],
  ['services.*.build.pull', 'bool'],
  ['services.*.cpu_count', 'int'],
  ['services.*.cpu_percent', 'int'],
  ['services.*.cpu_period', 'int'],
  ['services.*.cpu_quota', 'int'],
  ['services.*.cpu_rt_period', 'int'],
  ['services.*.cpu_rt_runtime', 'int'],
  ['services.*.cpu_shares', 'int'],
  ['services.*.cpus', 'float'],
  ['services.*.depends_on.*.required', 'bool'],
  ['services.*.depends_on.*.restart', 'bool'],
  ['services.*.deploy.replicas', 'int'],
  ['services.*.deploy.resources.limits.cpus', 'float'],
  ['services.*.deploy.resources.limits.pids', 'int'],
  ['services.*.deploy.resources.reservations.cpus', 'float'],
  ['services.*.deploy.restart_policy.max_attempts', 'int'],
  ['services.*.deploy.placement.max_replicas_per_node', 'int'],
  ['services.*.deploy.update_config.parallelism', 'int'],
  ['services.*.deploy.update_config.max_failure_ratio', 'float'],
  ['services.*.deploy.rollback_config.parallelism', 'int'],
  ['services.*.deploy.rollback_config.max_failure_ratio', 'float'],
  ['services.*.healthcheck.retries', 'int'],
  ['services.*.healthcheck.disable', 'bool'],
  ['services.*.init', 'bool'],
  ['services.*.mem_swappiness', 'int'],
  ['services.*.networks.*.priority', 'int'],
  ['services.*.networks.*.gw_priority', 'int'],
  ['services.*.oom_kill_disable', 'bool'],
  ['services.*.oom_score_adj', 'int'],
  ['services.*.pids_limit', 'int'],
  ['services.*.ports.*.target', 'int'],
  ['services.*.privileged', 'bool'],
  ['services.*.read_only', 'bool'],
  ['services.*.scale', 'int'],
  ['services.*.stdin_open', 'bool'],
  ['services.*.tty', 'bool'],
  ['services.*.ulimits.*', 'int'],
  ['services.*.ulimits.*.hard', 'int'],
  ['services.*.ulimits.*.soft', 'int'],
  ['services.*.use_api_socket', 'bool'],
  ['services.*.volumes.*.read_only', 'bool'],
  ['services.*.volumes.*.bind.create_host_path', 'bool'],
  ['services.*.volumes.*.volume.nocopy', 'bool'],
  ['services.*.volumes.*.tmpfs.size', 'int'],
  ['networks.*.external', 'bool'],
  ['networks.*.internal', 'bool'],
  ['networks.*.attachable', 'bool'],
  ['networks.*.enable_ipv4', 'bool'],
  ['networks.*.enable_ipv6', 'bool'],
  ['volumes.*.external', 'bool'],
  ['secrets.*.external', 'bool'],
  ['configs.*.external', 'bool'],
];

/** Patterns indexed by their length, then matched segment by segment (`*` = any one key or index). */
const CASTS_BY_LENGTH = new Map<number, [string[], Cast][]>();
/** The last segments of the patterns: a path that ends otherwise (most, `environment.FOO`) is no cast's, found without a scan. */
const LAST_SEGMENTS = new Set<PathSegment>();
for (const [pattern, cast] of CASTS) {
  const parts = pattern.split('.');
  const list = CASTS_BY_LENGTH.get(parts.length) ?? [];
  list.push([parts, cast]);
  CASTS_BY_LENGTH.set(parts.length, list);
  LAST_SEGMENTS.add(parts.at(-1)!);
}

function castFor(segments: readonly PathSegment[]): Cast | undefined {
  const candidates = CASTS_BY_LENGTH.get(segments.length);
  if (!candidates) return undefined;
  // `ulimits.*` ends in any name.
  if (!LAST_SEGMENTS.has(segments[segments.length - 1]!) && segments[2] !== 'ulimits') return undefined;
  outer: for (const [parts, cast] of candidates) {
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] !== '*' && parts[i] !== segments[i]) continue outer;
    }
    return cast;
  }
  return undefined;
}

const TRUE = new Set(['true', 'yes', 'on', 'y']);
const FALSE = new Set(['false', 'no', 'off', 'n']);

/** The interpolated string as the type its path wants; left a string when it does not fit (the schema then says so). */
export function castInterpolated(segments: readonly PathSegment[], value: string): unknown {
  const cast = castFor(segments);
  if (cast === undefined) return value;
  const trimmed = value.trim();
  switch (cast) {
    case 'int':
      return /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : value;
    case 'float':
      return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : value;
    case 'bool': {
      const lower = trimmed.toLowerCase();
      if (TRUE.has(lower)) return true;
      if (FALSE.has(lower)) return false;
      return value;
    }
  }
}
