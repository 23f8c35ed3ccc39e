import { ConfigConflictError, DependencyCycleError, SchemaError, UnresolvedReferenceError, type SourceLocation, type TscomposeError } from '../errors.js';
import { serviceReferences } from './dependencies.js';
import type { LoadTarget } from './load.js';
import type { Locator } from './locator.js';
import type { ComposeProject, DeployResources, NetworkConfig, ServiceConfig } from './model.js';
import { isIP } from './ip.js';
import { pathOf } from './source-file.js';
import { didYouMean, namesOf } from './suggest.js';

export { isIP } from './ip.js';

/**
 * The checks compose (or the engine, too late) makes after the schema, all before anything
 * touches an engine. Every problem found is returned, not just the first.
 */
export function checkProject(project: ComposeProject, locator: Locator, { consistency, target = 'engine' }: { consistency: boolean; target?: LoadTarget }): TscomposeError[] {
  const errors: TscomposeError[] = [];
  const at = (path: string, prefer: 'value' | 'key' = 'value') => locator.locate(path, prefer);
  const serviceNames = Object.keys(project.services);
  for (const service of Object.values(project.services)) {
    if (consistency && service.image === undefined && service.build === undefined && service.provider === undefined) {
      errors.push(new ConfigConflictError(`service "${service.name}" has neither an image nor a build context specified`, {
        location: at(`services.${service.name}`, 'key'),
        hint: 'add image: or build:',
      }));
    }
    checkReferences(service, project, serviceNames, at, errors);
    checkNetworkMode(service, at, errors);
    checkDns(service, at, errors);
    checkStaticAddresses(service, project.networks, at, errors);
    checkBindSources(service, at, errors);
    checkMountTargets(service, at, errors);
    checkDeviceRequests(service, at, errors);
    checkResourceAmounts(service, at, errors);
    // On a swarm, tasks have no container names (a swarm ignores container_name, with a warning).
    const replicas = target === 'swarm' ? 1 : replicaCount(service);
    if (replicas > MAX_REPLICAS) {
      const key = service.scale !== undefined ? 'scale' : 'deploy.replicas';
      errors.push(new ConfigConflictError(`services.${service.name}.${key} is ${replicas}; tscompose runs at most ${MAX_REPLICAS.toLocaleString('en')} containers of a service on one engine`, {
        location: at(`services.${service.name}.${key}`),
        hint: 'run fewer replicas, or deploy it to a swarm (tscompose stack deploy)',
      }));
    }
    if (service.container_name !== undefined && replicas > 1) {
      errors.push(new ConfigConflictError(`services.${service.name} sets container_name "${service.container_name}" and ${replicas} replicas; a container name can be used only once`, {
        location: at(`services.${service.name}.container_name`),
        hint: 'remove container_name, or run one replica',
      }));
    }
  }
  checkTopLevelResources(project, at, errors);
  errors.push(...findDependencyCycles(project.services, at));
  return errors;
}

export type At = (path: string, prefer?: 'value' | 'key') => SourceLocation | undefined;

/**
 * Containers one service may run on one engine. Each planned container holds its whole create
 * request: `scale: 1000000` would plan gigabytes before anything reached the engine, which runs a
 * few thousand containers at most. (On a swarm, replicas are the swarm's to place: not bounded.)
 */
export const MAX_REPLICAS = 10_000;

export function replicaCount(service: ServiceConfig): number {
  const deploy = service.deploy as { replicas?: number } | undefined;
  return service.scale ?? deploy?.replicas ?? 1;
}

/** The part of deploy a plain container takes: its resource limits and reservations. */
export function deployResources(service: ServiceConfig): DeployResources | undefined {
  return (service.deploy as { resources?: DeployResources } | undefined)?.resources;
}

function checkReferences(service: ServiceConfig, project: ComposeProject, serviceNames: string[], at: At, errors: TscomposeError[]): void {
  const base = `services.${service.name}`;
  for (const network in service.networks) {
    if (Object.hasOwn(project.networks, network)) continue;
    errors.push(new UnresolvedReferenceError(`service "${service.name}" refers to undefined network "${network}"`, {
      location: at(`${base}.networks.${network}`, 'key'),
      hint: didYouMean(network, namesOf(project.networks)) ?? `declare it under the top-level networks: section`,
    }));
  }
  // A reference outside depends_on (links, network_mode…) is reported as what it is, not as the dependency it implies.
  const references = serviceReferences(service);
  for (const dependency in service.depends_on) {
    if (Object.hasOwn(project.services, dependency) || references.some((reference) => reference.service === dependency)) continue;
    errors.push(new UnresolvedReferenceError(`service "${service.name}" depends on undefined service "${dependency}"`, {
      location: at(`${base}.depends_on.${dependency}`, 'key'),
      hint: didYouMean(dependency, serviceNames),
    }));
  }
  for (const { service: target, path } of references) {
    const [key] = path;
    const where = pathOf(['services', service.name, ...path]);
    if (!Object.hasOwn(project.services, target)) {
      const how = key === 'links' ? 'links to' : `uses ${key} of`;
      errors.push(new UnresolvedReferenceError(`service "${service.name}" ${how} undefined service "${target}"`, { location: at(where), hint: didYouMean(target, serviceNames) }));
    } else if (target === service.name) {
      errors.push(new ConfigConflictError(`service "${service.name}" refers to itself in ${key}`, { location: at(where) }));
    }
  }
}

/** As compose-go's validation package: an external volume is only named; a secret or config has one source. */
function checkTopLevelResources(project: ComposeProject, at: At, errors: TscomposeError[]): void {
  for (const [key, volume] of Object.entries(project.volumes)) {
    if (volume.external !== true) continue;
    const extra = Object.keys(volume).find((setting) => setting !== 'name' && setting !== 'external' && !setting.startsWith('x-'));
    if (extra === undefined) continue;
    errors.push(new ConfigConflictError(`volumes.${key}: conflicting parameters "external" and "${extra}" specified`, {
      location: at(`volumes.${key}.${extra}`, 'key'),
      hint: 'an external volume exists already: tscompose only looks it up by name',
    }));
  }
  for (const [section, sources] of [['secrets', ['file', 'environment']], ['configs', ['file', 'environment', 'content']]] as const) {
    for (const [key, resource] of Object.entries(project[section])) {
      const given = sources.filter((source) => resource[source] !== undefined);
      if (given.length > 1) {
        errors.push(new ConfigConflictError(`${section}.${key}: ${sources.join('|')} attributes are mutually exclusive`, { location: at(`${section}.${key}.${given[1]!}`, 'key') }));
      } else if (given.length === 0 && resource.driver === undefined && resource.external === undefined) {
        errors.push(new SchemaError(`${section}.${key}: one of ${sources.join('|')} must be set`, { location: at(`${section}.${key}`, 'key') }));
      }
    }
  }
}

function checkBindSources(service: ServiceConfig, at: At, errors: TscomposeError[]): void {
  (service.volumes ?? []).forEach((volume, index) => {
    if (volume.type !== 'bind' || (typeof volume.source === 'string' && volume.source !== '')) return;
    errors.push(new SchemaError(`services.${service.name}.volumes[${index}]: a bind mount needs a source`, { location: at(`services.${service.name}.volumes[${index}]`), hint: 'add source: with the host path to mount' }));
  });
}

/** One mount per place in the container: the engine refuses a second at create, compose-go at load ("already mounted as"). */
function checkMountTargets(service: ServiceConfig, at: At, errors: TscomposeError[]): void {
  const tmpfs = Array.isArray(service.tmpfs) ? (service.tmpfs as unknown[]) : [];
  if (tmpfs.length + (service.volumes?.length ?? 0) < 2) return;
  const base = `services.${service.name}`;
  const mounted = new Map<string, string>();
  const places = [
    ...tmpfs.map((entry, index) => ({ target: String(entry).split(':')[0]!, path: `${base}.tmpfs[${index}]` })),
    ...(service.volumes ?? []).map((volume, index) => ({ target: volume.target, path: `${base}.volumes[${index}]` })),
  ];
  for (const { target, path } of places) {
    const first = mounted.get(target);
    if (first === undefined) mounted.set(target, path);
    else errors.push(new ConfigConflictError(`${path}: target ${target} already mounted as ${first}`, { location: at(path), hint: 'mount one thing at each place' }));
  }
}

/** A device request names how many devices or which ones, not both (compose-go's checkDeviceRequest). */
function checkDeviceRequests(service: ServiceConfig, at: At, errors: TscomposeError[]): void {
  const reservations = (service.deploy as { resources?: { reservations?: { devices?: unknown } } } | undefined)?.resources?.reservations;
  if (reservations?.devices === undefined && service.gpus === undefined) return;
  const places: [string, unknown][] = [[`services.${service.name}.deploy.resources.reservations.devices`, reservations?.devices], [`services.${service.name}.gpus`, service.gpus]];
  for (const [path, requests] of places) {
    if (!Array.isArray(requests)) continue;
    requests.forEach((request: Record<string, unknown>, index) => {
      if (request.count === undefined || request.device_ids === undefined) return;
      errors.push(new ConfigConflictError(`${path}[${index}]: "count" and "device_ids" attributes are exclusive`, { location: at(`${path}[${index}].device_ids`, 'key') }));
    });
  }
}

/** Amounts a service may give twice, as a key and under deploy.resources: compose-go refuses two different values. */
const RESOURCE_TWINS = [
  ['cpus', 'limits', 'cpus'],
  ['mem_limit', 'limits', 'memory'],
  ['mem_reservation', 'reservations', 'memory'],
  ['pids_limit', 'limits', 'pids'],
] as const;

function checkResourceAmounts(service: ServiceConfig, at: At, errors: TscomposeError[]): void {
  const resources = deployResources(service);
  // Twice given needs deploy.resources.
  if (resources === undefined) return;
  for (const [key, section, twin] of RESOURCE_TWINS) {
    const value = service[key];
    const deployed = resources?.[section]?.[twin as keyof NonNullable<DeployResources[typeof section]>];
    if (value === undefined || deployed === undefined || value === deployed) continue;
    errors.push(new ConfigConflictError(`services.${service.name}: can't set distinct values on '${key}' and 'deploy.resources.${section}.${twin}'`, {
      location: at(`services.${service.name}.deploy.resources.${section}.${twin}`),
      hint: `${key} says ${String(value)}, deploy.resources.${section}.${twin} ${String(deployed)}: keep one of them`,
    }));
  }
}

const STANDALONE_MODES = ['host', 'none'];

function checkNetworkMode(service: ServiceConfig, at: At, errors: TscomposeError[]): void {
  const mode = service.network_mode;
  if (mode === undefined) return;
  const base = `services.${service.name}`;
  if (service.networks !== undefined) {
    errors.push(new ConfigConflictError(`service "${service.name}" sets both network_mode and networks`, {
      location: at(`${base}.networks`, 'key'),
      hint: 'a container either joins networks or uses network_mode: remove one of them',
    }));
  }
  const sharesStack = STANDALONE_MODES.includes(mode) || mode.startsWith('service:') || mode.startsWith('container:');
  if (sharesStack && service.ports.length > 0) {
    errors.push(new ConfigConflictError(`service "${service.name}" publishes ports with network_mode "${mode}"`, {
      location: at(`${base}.ports`, 'key'),
      hint: mode === 'host' ? 'with the host network the container binds host ports directly: remove ports' : `publish the ports on the service that owns the network stack`,
    }));
  }
}

function checkDns(service: ServiceConfig, at: At, errors: TscomposeError[]): void {
  if (service.dns.length === 0) return;
  service.dns.forEach((server, index) => {
    if (isIP(server) !== 0) return;
    errors.push(new SchemaError(`services.${service.name}.dns[${index}]: "${server}" is not an IP address`, {
      location: at(`services.${service.name}.dns[${index}]`),
      hint: 'dns takes the IP addresses of name servers; search domains go in dns_search',
    }));
  });
}

function checkStaticAddresses(service: ServiceConfig, networks: Record<string, NetworkConfig>, at: At, errors: TscomposeError[]): void {
  for (const key in service.networks) {
    const attachment = service.networks[key];
    const network = networks[key];
    if (!attachment || !network || (attachment.ipv4_address === undefined && attachment.ipv6_address === undefined)) continue;
    for (const [field, family] of [['ipv4_address', 4], ['ipv6_address', 6]] as const) {
      const address = attachment[field];
      if (address === undefined) continue;
      const path = `services.${service.name}.networks.${key}.${field}`;
      if (isIP(address) !== family) {
        errors.push(new SchemaError(`${path}: "${address}" is not an IPv${family} address`, { location: at(path) }));
        continue;
      }
      const subnets = (network.ipam?.config ?? []).map((pool) => pool.subnet).filter((subnet): subnet is string => typeof subnet === 'string' && isIP(subnet.split('/')[0]!) === family);
      if (network.external) continue;
      if (subnets.length === 0) {
        errors.push(new ConfigConflictError(`${path}: a fixed address needs a subnet configured on network "${key}"`, {
          location: at(path),
          hint: `add networks.${key}.ipam.config[].subnet`,
        }));
      } else if (!subnets.some((subnet) => inSubnet(address, subnet))) {
        errors.push(new ConfigConflictError(`${path}: ${address} is outside the subnet${subnets.length > 1 ? 's' : ''} of network "${key}" (${subnets.join(', ')})`, { location: at(path) }));
      }
    }
  }
}

/** Whether an address lies in a CIDR subnet (IPv4 or IPv6). */
export function inSubnet(address: string, cidr: string): boolean {
  const [network, bitsText] = cidr.split('/');
  const family = isIP(network!);
  if (family === 0 || family !== isIP(address)) return false;
  const size = family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? size : Number(bitsText);
  const a = addressToBigInt(address);
  const n = addressToBigInt(network!);
  const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(size - bits);
  return (a & mask) === (n & mask);
}

export function addressToBigInt(address: string): bigint {
  if (isIP(address) === 4) return address.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const value = addressToBigInt(v4[1]!);
    text = text.slice(0, -v4[1]!.length) + `${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(8 - headParts.length - tailParts.length).fill('0');
  return [...headParts, ...zeros, ...tailParts].reduce((acc, part) => (acc << 16n) + BigInt(parseInt(part || '0', 16)), 0n);
}

/** Depth-first over depends_on with a stack of its own: a chain of thousands of services must not overflow the call stack. */
function findDependencyCycles(services: Record<string, ServiceConfig>, at: At): TscomposeError[] {
  const errors: TscomposeError[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const path: { name: string; dependencies: string[]; next: number }[] = [];
  const reported = new Set<string>();
  const enter = (name: string) => {
    state.set(name, 'visiting');
    const dependencies: string[] = [];
    for (const dependency in services[name]?.depends_on) if (Object.hasOwn(services, dependency)) dependencies.push(dependency);
    path.push({ name, dependencies, next: 0 });
  };
  for (const start of Object.keys(services)) {
    if (state.has(start)) continue;
    enter(start);
    while (path.length > 0) {
      const frame = path.at(-1)!;
      const dependency = frame.dependencies[frame.next++];
      if (dependency === undefined) {
        path.pop();
        state.set(frame.name, 'done');
      } else if (state.get(dependency) === 'visiting') {
        const cycle = [...path.slice(path.findIndex((step) => step.name === dependency)).map((step) => step.name), dependency];
        const key = [...cycle.slice(0, -1)].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          errors.push(new DependencyCycleError(`dependency cycle: ${elide(cycle).join(' → ')}`, {
            location: at(`services.${frame.name}.depends_on.${dependency}`, 'key'),
            hint: 'remove one of these depends_on entries',
          }));
        }
      } else if (!state.has(dependency)) enter(dependency);
    }
  }
  return errors;
}

/** A long cycle as its first and last steps around a count of the ones left out. */
function elide(steps: string[]): string[] {
  return steps.length <= 12 ? steps : [...steps.slice(0, 6), `… ${steps.length - 12} more …`, ...steps.slice(-6)];
}
