import { ConfigConflictError, PortSyntaxError, SchemaError, type TscomposeError } from '../errors.js';
import { formatDuration, parseDuration } from './duration.js';
import { Override, RESET } from './parse.js';
import { parseLongPort, parseShortPort, PortFailure } from './ports.js';
import { shellWords } from './shell-words.js';
import { joinPath, type PathSegment, type SourceFile } from './source-file.js';
import { parseByteSize, parseCpus, parseDeviceCount, parseDeviceMapping } from './units.js';
import { parseShortVolume, VolumeFailure } from './volumes.js';
import type { PortMapping } from './model.js';

type Data = Record<string, unknown>;

/**
 * Brings one file's data to a single form per key before files are merged: list-or-mapping
 * keys become mappings, ports become long-form entries (ranges expanded), strings that may
 * be lists become lists. Merging and later checks then deal with one shape only.
 */
export function canonicalizeFile(data: Data, source: SourceFile): TscomposeError[] {
  const errors: TscomposeError[] = [];
  const services = unwrap(data.services);
  const portBudget = { left: MAX_PORT_MAPPINGS };
  if (isRecord(services)) {
    for (const [name, service] of Object.entries(services)) {
      const config = unwrap(service);
      if (isRecord(config)) canonicalizeService(config, joinPath('services', name), source, errors, portBudget);
    }
  }
  for (const section of ['networks', 'volumes', 'secrets', 'configs']) {
    const entries = unwrap(data[section]);
    if (!isRecord(entries)) continue;
    for (const [key, value] of Object.entries(entries)) {
      if (value === null) entries[key] = {};
      const entry = unwrap(entries[key]);
      if (isRecord(entry) && 'labels' in entry) mapAt(entry, 'labels', '=');
      // The Engine API takes driver options as strings; YAML reads `mtu: 1400` as a number.
      if (isRecord(entry) && 'driver_opts' in entry) mapAt(entry, 'driver_opts', '=');
      if (isRecord(entry) && isRecord(entry.external) && typeof entry.external.name === 'string') {
        if (entry.name !== undefined && entry.name !== entry.external.name) {
          errors.push(new ConfigConflictError(`${section}.${key}: name and external.name conflict; only use name`, {
            location: source.locate(joinPath(joinPath(joinPath(section, key), 'external'), 'name')),
            hint: `write name: ${String(entry.name)} and external: true`,
          }));
        }
        // Legacy `external: {name: x}` means `external: true, name: x`.
        entry.name ??= entry.external.name;
        entry.external = true;
      }
    }
  }
  return errors;
}

/** Keys that take a string for a list of one. */
const STRING_OR_LIST = ['dns', 'dns_search', 'env_file', 'tmpfs', 'label_file'];
const COMMANDS = ['command', 'entrypoint'];

function canonicalizeService(service: Data, path: string, source: SourceFile, errors: TscomposeError[], portBudget: PortBudget): void {
  mapAt(service, 'environment', '=', true);
  mapAt(service, 'labels', '=');
  mapAt(service, 'annotations', '=');
  mapAt(service, 'sysctls', '=');
  for (const key of STRING_OR_LIST) {
    const value = unwrap(service[key]);
    if (typeof value === 'string') replace(service, key, [value]);
  }
  // compose-go drops empty dns entries, so that `dns: ${UNSET}` means no DNS servers.
  const dns = unwrap(service.dns);
  if (Array.isArray(dns) && dns.some((entry) => entry === '' || entry === null)) replace(service, 'dns', dns.filter((entry) => entry !== '' && entry !== null));
  const envFiles = unwrap(service.env_file);
  if (Array.isArray(envFiles)) replace(service, 'env_file', envFiles.map((entry) => (isRecord(entry) ? { ...entry, required: entry.required ?? true } : { path: String(entry), required: true })));
  // Secrets mount at /run/secrets/<source> unless they say otherwise, as compose-go's defaults write it.
  const secrets = unwrap(service.secrets);
  if (Array.isArray(secrets)) replace(service, 'secrets', secrets.map((entry) => (isRecord(entry) ? withOctalMode({ target: `/run/secrets/${String(entry.source)}`, ...entry }) : { source: String(entry), target: `/run/secrets/${String(entry)}` })));
  const configs = unwrap(service.configs);
  if (Array.isArray(configs)) replace(service, 'configs', configs.map((entry) => (isRecord(entry) ? withOctalMode(entry) : { source: String(entry) })));
  const volumes = unwrap(service.volumes);
  if (Array.isArray(volumes)) replace(service, 'volumes', canonicalVolumes(volumes, joinPath(path, 'volumes'), source, errors));

  const expose = unwrap(service.expose);
  if (Array.isArray(expose)) replace(service, 'expose', expose.map(String));

  const build = unwrap(service.build);
  if (typeof build === 'string') replace(service, 'build', { context: build });
  else if (isRecord(build)) {
    mapAt(build, 'args', '=', true);
    mapAt(build, 'labels', '=');
    if (build.extra_hosts !== undefined) replace(build, 'extra_hosts', extraHostsList(unwrap(build.extra_hosts)));
  }
  const deploy = unwrap(service.deploy);
  if (isRecord(deploy)) mapAt(deploy, 'labels', '=');
  const models = unwrap(service.models);
  if (Array.isArray(models)) replace(service, 'models', Object.fromEntries(models.map((name) => [String(name), null])));

  const extendsValue = unwrap(service.extends);
  if (typeof extendsValue === 'string') replace(service, 'extends', { service: extendsValue });

  const dependsOn = unwrap(service.depends_on);
  if (Array.isArray(dependsOn)) {
    replace(service, 'depends_on', Object.fromEntries(dependsOn.map((name) => [String(name), { condition: 'service_started', required: true }])));
    dependsOn.forEach((name, index) => source.alias(joinPath(joinPath(path, 'depends_on'), index), joinPath(joinPath(path, 'depends_on'), String(name))));
  }

  const networks = unwrap(service.networks);
  if (Array.isArray(networks)) {
    replace(service, 'networks', Object.fromEntries(networks.map((name) => [String(name), null])));
    networks.forEach((name, index) => source.alias(joinPath(joinPath(path, 'networks'), index), joinPath(joinPath(path, 'networks'), String(name))));
  } else if (isRecord(networks)) {
    for (const attachment of Object.values(networks)) if (isRecord(attachment) && 'driver_opts' in attachment) mapAt(attachment, 'driver_opts', '=');
  }
  if (service.extra_hosts !== undefined) replace(service, 'extra_hosts', extraHostsList(unwrap(service.extra_hosts)));

  canonicalDurations(service);
  canonicalResources(service, path, source, errors);
  // A command string is split into words as compose-go splits it (shellwords), so that `config` and the engine see a list.
  for (const key of COMMANDS) {
    const value = unwrap(service[key]);
    if (typeof value === 'string') replace(service, key, shellWords(value));
  }
  const healthcheck = unwrap(service.healthcheck);
  if (isRecord(healthcheck) && typeof unwrap(healthcheck.test) === 'string') replace(healthcheck, 'test', ['CMD-SHELL', unwrap(healthcheck.test)]);

  const ports = unwrap(service.ports);
  if (Array.isArray(ports)) replace(service, 'ports', canonicalPorts(ports, joinPath(path, 'ports'), source, errors, portBudget));
}

/** A file mode written as a string ("0440", "${MODE}") is octal, as compose-go's FileMode reads it. */
function withOctalMode(entry: Data): Data {
  return typeof entry.mode === 'string' && /^[0-7]+$/.test(entry.mode) ? { ...entry, mode: parseInt(entry.mode, 8) } : entry;
}

/**
 * Short volume entries in long form; a long-form bind gets create_host_path: true unless it says
 * otherwise, as in compose-go; a tmpfs size is bytes and its mode a number, volume labels a mapping.
 */
function canonicalVolumes(volumes: unknown[], path: string, source: SourceFile, errors: TscomposeError[]): unknown[] {
  return volumes.map((entry, index) => {
    if (isRecord(entry)) return canonicalMount(entry, joinPath(path, index), source, errors);
    try {
      return parseShortVolume(String(entry));
    } catch (error) {
      if (!(error instanceof VolumeFailure)) throw error;
      errors.push(new SchemaError(`${joinPath(path, index)}: ${error.message}`, { location: source.locate(joinPath(path, index)), hint: 'the short syntax is [SOURCE:]TARGET[:ro|rw|…]' }));
      return entry;
    }
  });
}

function canonicalMount(entry: Data, path: string, source: SourceFile, errors: TscomposeError[]): Data {
  const mount = { ...entry };
  if (isRecord(mount.bind) && mount.bind.create_host_path === undefined) mount.bind = { ...mount.bind, create_host_path: true };
  if (isRecord(mount.volume) && 'labels' in mount.volume) {
    mount.volume = { ...mount.volume };
    mapAt(mount.volume as Data, 'labels', '=');
  }
  if (isRecord(mount.tmpfs)) {
    const tmpfs = (mount.tmpfs = { ...mount.tmpfs });
    const refuse = (key: string, what: string, hint: string) => {
      const at = joinPath(joinPath(path, 'tmpfs'), key);
      errors.push(new SchemaError(`${at}: ${JSON.stringify(tmpfs[key])} is not ${what}`, { location: source.locate(at), hint }));
    };
    if (tmpfs.size !== undefined) {
      const size = parseByteSize(tmpfs.size);
      if (size === undefined) refuse('size', 'a byte size', 'write a number of bytes or one with a unit: 64m');
      else tmpfs.size = size;
    }
    if (typeof tmpfs.mode === 'string') {
      const mode = goInteger(tmpfs.mode);
      if (mode === undefined) refuse('mode', 'a file mode', 'write the permission bits in octal: 0o1777 or 01777');
      else tmpfs.mode = mode;
    }
  }
  return mount;
}

/** An unsigned integer as Go's strconv reads it with base 0 (01777 and 0o1777 octal, 0x hex), as compose-go decodes a tmpfs mode. */
function goInteger(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^0o?[0-7]+$/.test(trimmed)) return parseInt(trimmed.replace(/^0o?/, ''), 8);
  if (/^0x[0-9a-f]+$/.test(trimmed) || /^0b[01]+$/.test(trimmed)) return Number(trimmed);
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

/** Where compose reads a duration; each is written as Go prints it ("90s" → "1m30s"), as compose-go does. */
const DURATIONS: [parent: string[], keys: string[]][] = [
  [[], ['stop_grace_period']],
  [['healthcheck'], ['interval', 'timeout', 'start_period', 'start_interval']],
  [['deploy', 'update_config'], ['delay', 'monitor']],
  [['deploy', 'rollback_config'], ['delay', 'monitor']],
  [['deploy', 'restart_policy'], ['delay', 'window']],
];

function canonicalDurations(service: Data): void {
  if (service.stop_grace_period === undefined && service.healthcheck === undefined && service.deploy === undefined) return;
  for (const [parentPath, keys] of DURATIONS) {
    let parent: unknown = service;
    for (const key of parentPath) parent = isRecord(parent) ? unwrap(parent[key]) : undefined;
    if (!isRecord(parent)) continue;
    for (const key of keys) {
      const value = unwrap(parent[key]);
      // The schema has refused what is not a duration.
      const nanoseconds = typeof value === 'string' ? parseDuration(value) : undefined;
      if (nanoseconds !== undefined) replace(parent, key, formatDuration(nanoseconds));
    }
  }
}

type KeysAt = [parent: PathSegment[], keys: string[]][];
/** Where compose reads a byte size (`512m`) or a CPU count (`"0.5"`): each becomes a number. */
const BYTE_SIZES: KeysAt = [
  [[], ['mem_limit', 'memswap_limit', 'mem_reservation', 'shm_size']],
  [['deploy', 'resources', 'limits'], ['memory']],
  [['deploy', 'resources', 'reservations'], ['memory']],
];
const CPU_COUNTS: KeysAt = [
  [[], ['cpus']],
  [['deploy', 'resources', 'limits'], ['cpus']],
  [['deploy', 'resources', 'reservations'], ['cpus']],
];
const REALTIME: KeysAt = [[[], ['cpu_rt_period', 'cpu_rt_runtime']]];
const BLKIO_RATES = ['device_read_bps', 'device_read_iops', 'device_write_bps', 'device_write_iops'];

/** Resource amounts as numbers, devices and device requests in long form, logging and storage options as strings: what compose-go's types read. */
function canonicalResources(service: Data, path: string, source: SourceFile, errors: TscomposeError[]): void {
  const where: Place = { service, path, source, errors };
  amounts(where, BYTE_SIZES, parseByteSize, 'a byte size', 'write a number of bytes or one with a unit: 512m, 1.5g, 64k');
  amounts(where, CPU_COUNTS, parseCpus, 'a number of CPUs', 'write a number such as 0.5 or 2');
  amounts(where, REALTIME, realtimeMicroseconds, 'a time in microseconds or a duration', 'write microseconds (950000) or a duration (950ms)');
  const blkio = unwrap(service.blkio_config);
  if (isRecord(blkio)) {
    for (const key of BLKIO_RATES) {
      const limits = unwrap(blkio[key]);
      if (!Array.isArray(limits)) continue;
      const table: KeysAt = limits.map((_, index) => [['blkio_config', key, index], ['rate']]);
      amounts(where, table, parseByteSize, 'a rate', 'write a number, or bytes with a unit: 12mb');
    }
  }

  const devices = unwrap(service.devices);
  if (Array.isArray(devices)) {
    replace(service, 'devices', devices.map((entry, index) => {
      if (typeof entry !== 'string') return entry;
      const mapping = parseDeviceMapping(entry);
      if (mapping === undefined) refuse(where, joinPath(joinPath(path, 'devices'), index), `confusing device mapping "${entry}"`, 'use the long syntax: {source, target, permissions}');
      return mapping ?? entry;
    }));
  }
  // `gpus: all` is one request for every GPU; a request that names neither count nor device_ids is for all (compose-go's defaults).
  const gpus = unwrap(service.gpus);
  if (typeof gpus === 'string') replace(service, 'gpus', [{ count: -1 }]);
  const reservations = service.deploy === undefined ? undefined : childAt(service, ['deploy', 'resources', 'reservations']);
  for (const requests of [unwrap(service.gpus), isRecord(reservations) ? unwrap(reservations.devices) : undefined]) {
    if (!Array.isArray(requests)) continue;
    for (const request of requests) {
      if (!isRecord(request)) continue;
      if (request.count === undefined && request.device_ids === undefined) request.count = -1;
      else if (request.count !== undefined) request.count = parseDeviceCount(request.count) ?? request.count;
      if ('options' in request) mapAt(request, 'options', '=');
    }
  }

  const logging = unwrap(service.logging);
  if (isRecord(logging)) mapAt(logging, 'options', '=');
  mapAt(service, 'storage_opt', '=');
}

/** A service being canonicalized, and where its problems go. */
interface Place {
  service: Data;
  path: string;
  source: SourceFile;
  errors: TscomposeError[];
}

function refuse({ source, errors }: Place, at: string, what: string, hint: string): void {
  errors.push(new SchemaError(`${at}: ${what}`, { location: source.locate(at), hint }));
}

/** The amounts a table names, parsed to numbers; what does not parse is refused. */
function amounts(place: Place, table: KeysAt, parse: (value: unknown) => number | undefined, what: string, hint: string): void {
  // Indexed loops: in code that runs a few thousand times, before V8 optimizes it, each destructured entry costs an iterator.
  for (let entry = 0; entry < table.length; entry++) {
    const parentPath = table[entry]![0];
    // Most services have no deploy: the tables' other parents are under it.
    if (parentPath.length > 0 && place.service[parentPath[0]!] === undefined) continue;
    const parent = childAt(place.service, parentPath);
    if (!isRecord(parent)) continue;
    const keys = table[entry]![1];
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index]!;
      const value = unwrap(parent[key]);
      // What is neither text nor a number the schema has refused.
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      const parsed = parse(value);
      if (parsed === undefined) refuse(place, [...parentPath, key].reduce<string>(joinPath, place.path), `${JSON.stringify(value)} is not ${what}`, hint);
      else replace(parent, key, parsed);
    }
  }
}

function childAt(root: Data, path: readonly PathSegment[]): unknown {
  let node: unknown = root;
  for (const key of path) node = isRecord(node) || Array.isArray(node) ? unwrap((node as Record<PathSegment, unknown>)[key]) : undefined;
  return node;
}

/** The real-time scheduler's period and runtime, in microseconds: a number is, a duration is converted. */
function realtimeMicroseconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text);
  const nanoseconds = parseDuration(text);
  return nanoseconds === undefined ? undefined : Math.trunc(nanoseconds / 1e3);
}

/**
 * Port mappings one file may expand to: a range is one mapping per port, and forty entries of
 * "1-65535:1-65535" would be 2.6 million of them (a gigabyte, half a minute). One full range fits.
 */
export const MAX_PORT_MAPPINGS = 65_536;

interface PortBudget {
  left: number;
}

function canonicalPorts(ports: unknown[], path: string, source: SourceFile, errors: TscomposeError[], budget: PortBudget): PortMapping[] {
  const out: PortMapping[] = [];
  ports.forEach((entry, index) => {
    if (budget.left < 0) return;
    const entryPath = () => joinPath(path, index);
    try {
      const mappings = isRecord(entry) ? [parseLongPort(entry)] : parseShortPort(entry as string | number);
      budget.left -= mappings.length;
      if (budget.left < 0) {
        errors.push(new PortSyntaxError(`${entryPath()}: the ports of this file expand to more than ${MAX_PORT_MAPPINGS} port mappings`, {
          location: source.locate(entryPath()),
          hint: 'a range publishes one port per number in it; publish the ports the service listens on',
        }));
        return;
      }
      for (const mapping of mappings) out.push(mapping);
    } catch (error) {
      if (!(error instanceof PortFailure)) throw error;
      errors.push(new PortSyntaxError(`${entryPath()}: ${error.message}`, { location: source.locate(entryPath()), hint: error.hint }));
    }
  });
  return out;
}

/**
 * `["host:ip", "host=ip1,ip2"]` or `{host: ip | [ips]}` → `["host=ip", …]`, one entry per address,
 * an IPv6 address without its brackets (as compose-go's HostsList).
 */
function extraHostsList(value: unknown): string[] {
  const entries: [host: string, ips: string[]][] = [];
  if (Array.isArray(value)) {
    for (const entry of value) {
      const text = String(entry);
      const equals = text.indexOf('=');
      const separator = equals >= 0 ? equals : text.indexOf(':');
      if (separator < 0) entries.push([text, []]);
      else entries.push([text.slice(0, separator), text.slice(separator + 1).split(',')]);
    }
  } else if (isRecord(value)) {
    for (const [host, ips] of Object.entries(value)) entries.push([host, (Array.isArray(ips) ? ips : [ips]).map((ip) => String(ip ?? ''))]);
  }
  return entries.flatMap(([host, ips]) => (ips.length === 0 ? [host] : ips.map((ip) => `${host}=${ip.replace(/^\[(.+)\]$/, '$1')}`)));
}

/** Turns a `["KEY=value", "KEY"]` list into a mapping; with `keepBare`, a bare KEY maps to null. Scalar values become strings. */
function mapAt(parent: Data, key: string, separator: string, keepBare = false): void {
  const value = unwrap(parent[key]);
  if (Array.isArray(value)) {
    const map: Record<string, string | null> = {};
    for (const entry of value) {
      const text = String(entry);
      const at = text.indexOf(separator);
      if (at >= 0) map[text.slice(0, at)] = text.slice(at + 1);
      else map[text] = keepBare ? null : '';
    }
    replace(parent, key, map);
  } else if (isRecord(value)) {
    for (const name in value) {
      const item = value[name];
      if (typeof item === 'string' || item === RESET || item instanceof Override) continue;
      value[name] = item === null ? (keepBare ? null : '') : String(item);
    }
  }
}

/** Replaces a value, keeping an `!override` wrapper around it. */
function replace(parent: Data, key: string, value: unknown): void {
  parent[key] = parent[key] instanceof Override ? new Override(value) : value;
}

function unwrap(value: unknown): unknown {
  return value instanceof Override ? value.value : value;
}

export function isRecord(value: unknown): value is Data {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Override);
}
