import { ConfigConflictError, SchemaError, type TscomposeError } from '../errors.js';
import { addressToBigInt, type At, inSubnet, isIP, replicaCount } from './checks.js';
import { ENGINE_NETWORK_NAME, nameRuleHint } from './engine-names.js';
import type { Locator } from './locator.js';
import type { ComposeProject, IpamPoolConfig } from './model.js';
import { joinPath } from './source-file.js';

/**
 * Settings that create a network, meaningless on one created elsewhere (compose 1 refused them
 * with external: true; compose-go's own tests load internal and attachable beside it).
 */
const NOT_WITH_EXTERNAL = ['driver', 'driver_opts', 'ipam'] as const;

/**
 * What the engine would refuse about the project's networks, or accept and get wrong, found
 * before anything is created: names it cannot take, ipam pools that are not pools, subnets that
 * overlap, external networks given settings, the same fixed address for two containers.
 */
export function checkNetworks(project: ComposeProject, locator: Locator): TscomposeError[] {
  const errors: TscomposeError[] = [];
  const at: At = (path, prefer = 'value') => locator.locate(path, prefer);
  const pools: Pool[] = [];
  for (const [key, network] of Object.entries(project.networks)) {
    const base = joinPath('networks', key);
    errors.push(...quotedBooleans(network, base, NETWORK_BOOLEANS, at));
    if (network.external === true) {
      for (const setting of NOT_WITH_EXTERNAL) {
        if (network[setting] === undefined) continue;
        errors.push(new ConfigConflictError(`${base} is external and also sets ${setting}`, {
          location: at(joinPath(base, setting), 'key'),
          hint: `an external network is created outside this project, with its own settings: remove ${setting}, or external: true`,
        }));
      }
      continue;
    }
    if (typeof network.name === 'string' && !ENGINE_NETWORK_NAME.test(network.name)) {
      errors.push(new SchemaError(`${base}: "${network.name}" cannot be a network name`, { location: at(joinPath(base, 'name')), hint: nameRuleHint('network') }));
    }
    (network.ipam?.config ?? []).forEach((config, index) => {
      const pool = checkPool(config, joinPath(joinPath(joinPath(base, 'ipam'), 'config'), index), at, errors);
      if (pool) pools.push({ ...pool, network: key });
    });
  }
  errors.push(...overlappingPools(pools, at));
  errors.push(...sharedStaticAddresses(project, at));
  return errors;
}

const NETWORK_BOOLEANS = ['external', 'internal', 'attachable', 'enable_ipv4', 'enable_ipv6'];

/**
 * The schema lets these keys be strings so that `${VAR}` can fill them (and interpolation turns
 * `true`, `yes`, `off`… into booleans); a string still there was quoted in the file, `"yes"`, and
 * the engine would get a string where it wants true or false.
 */
export function quotedBooleans(config: Record<string, unknown>, base: string, keys: readonly string[], at: At): TscomposeError[] {
  return keys
    .filter((key) => typeof config[key] === 'string')
    .map((key) => new SchemaError(`${joinPath(base, key)} must be true or false, not the string ${JSON.stringify(config[key])}`, {
      location: at(joinPath(base, key)),
      hint: 'write true or false without quotes',
    }));
}

interface Cidr {
  text: string;
  address: string;
  family: 4 | 6;
}

interface Pool extends Cidr {
  network: string;
  path: string;
}

/** `10.0.0.0/24` or `fd00::/64`; undefined when it is not a CIDR or its prefix is too long for the family. */
export function parseCidr(text: unknown): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const family = isIP(match[1]!);
  if (family === 0 || Number(match[2]) > (family === 4 ? 32 : 128)) return undefined;
  return { text, address: match[1]!, family: family as 4 | 6 };
}

function checkPool(config: IpamPoolConfig, path: string, at: At, errors: TscomposeError[]): Omit<Pool, 'network'> | undefined {
  if (config.subnet === undefined) return undefined;
  const subnetPath = joinPath(path, 'subnet');
  const subnet = parseCidr(config.subnet);
  if (!subnet) {
    errors.push(new SchemaError(`${subnetPath}: "${String(config.subnet)}" is not a subnet in CIDR notation`, { location: at(subnetPath), hint: 'write an address and a prefix length: 172.28.0.0/16, or fd00:1::/64' }));
    return undefined;
  }
  const family = `IPv${subnet.family}`;
  if (config.gateway !== undefined) {
    const gatewayPath = joinPath(path, 'gateway');
    if (isIP(config.gateway) !== subnet.family) {
      errors.push(new SchemaError(`${gatewayPath}: "${config.gateway}" is not an ${family} address`, { location: at(gatewayPath), hint: `the gateway is one ${family} address of subnet ${subnet.text}` }));
    } else if (!inSubnet(config.gateway, subnet.text)) {
      errors.push(new ConfigConflictError(`${gatewayPath}: ${config.gateway} is outside subnet ${subnet.text}`, { location: at(gatewayPath) }));
    }
  }
  if (config.ip_range !== undefined) {
    const rangePath = joinPath(path, 'ip_range');
    const range = parseCidr(config.ip_range);
    if (!range || range.family !== subnet.family) {
      errors.push(new SchemaError(`${rangePath}: "${config.ip_range}" is not an ${family} range in CIDR notation`, { location: at(rangePath) }));
    } else if (!contains(subnet.text, range.text)) {
      errors.push(new ConfigConflictError(`${rangePath}: ${range.text} is not inside subnet ${subnet.text}`, { location: at(rangePath), hint: 'ip_range is the part of the subnet containers get their addresses from' }));
    }
  }
  for (const [name, address] of Object.entries(config.aux_addresses ?? {})) {
    const auxPath = joinPath(joinPath(path, 'aux_addresses'), name);
    if (isIP(String(address)) !== subnet.family || !inSubnet(String(address), subnet.text)) {
      errors.push(new ConfigConflictError(`${auxPath}: "${String(address)}" is not an address of subnet ${subnet.text}`, { location: at(auxPath) }));
    }
  }
  return { ...subnet, path: subnetPath };
}

/** Whether CIDR `inner` lies inside CIDR `outer` (same family). */
function contains(outer: string, inner: string): boolean {
  const [network, bits] = inner.split('/');
  return inSubnet(network!, outer) && Number(bits) >= Number(outer.split('/')[1]);
}

/**
 * The engine refuses a pool that overlaps another network's; two networks of one project cannot
 * both be created. Two CIDR blocks overlap only when one holds the other, so a sweep in address
 * order with a stack of the blocks still open finds every pair (comparing every pair took minutes
 * for a few thousand networks). Each pool is reported once, naming the first pool written before it.
 */
function overlappingPools(pools: readonly Pool[], at: At): TscomposeError[] {
  const spans = pools.map((pool, order) => ({ pool, order, ...span(pool) }));
  const sorted = [...spans].sort((a, b) => a.family - b.family || compare(a.first, b.first) || compare(b.last, a.last) || a.order - b.order);
  const firstOverlap = new Map<number, (typeof spans)[number]>();
  const open: typeof spans = [];
  for (const current of sorted) {
    while (open.length > 0 && (open.at(-1)!.family !== current.family || open.at(-1)!.last < current.first)) open.pop();
    for (const holder of open) {
      const [earlier, later] = holder.order < current.order ? [holder, current] : [current, holder];
      const known = firstOverlap.get(later.order);
      if (!known || known.order > earlier.order) firstOverlap.set(later.order, earlier);
    }
    open.push(current);
  }
  return [...firstOverlap.entries()].sort(([a], [b]) => a - b).map(([order, { pool: earlier }]) => {
    const later = pools[order]!;
    const where = earlier.network === later.network ? `another pool of network "${later.network}"` : `network "${earlier.network}"`;
    return new ConfigConflictError(`${later.path}: ${later.text} overlaps ${earlier.text} of ${where}`, {
      location: at(later.path),
      hint: 'the engine gives each network its own address space: choose subnets that do not overlap',
    });
  });
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first and last address of a pool, as numbers. */
function span(pool: Pool): { family: number; first: bigint; last: bigint } {
  const size = pool.family === 4 ? 32 : 128;
  const bits = BigInt(size - Number(pool.text.split('/')[1]));
  const first = (addressToBigInt(pool.address) >> bits) << bits;
  return { family: pool.family, first, last: first + (1n << bits) - 1n };
}

/** A fixed address belongs to one container: two services, or several replicas of one, cannot have it on the same network. */
function sharedStaticAddresses(project: ComposeProject, at: At): TscomposeError[] {
  const errors: TscomposeError[] = [];
  const owners = new Map<string, string>();
  for (const service of Object.values(project.services)) {
    for (const network in service.networks) {
      const attachment = service.networks[network];
      // Most attachments have no fixed address: passed over without building anything.
      if (!attachment || (attachment.ipv4_address === undefined && attachment.ipv6_address === undefined)) continue;
      const replicas = replicaCount(service);
      for (const field of ['ipv4_address', 'ipv6_address'] as const) {
        const address = attachment[field];
        if (address === undefined) continue;
        const path = joinPath(joinPath(joinPath(joinPath('services', service.name), 'networks'), network), field);
        const key = `${network}\0${address}`;
        const owner = owners.get(key);
        if (owner !== undefined) {
          errors.push(new ConfigConflictError(`${path}: ${address} on network "${network}" is also the address of service "${owner}"`, { location: at(path), hint: 'each container needs its own address on a network' }));
        } else if (replicas > 1) {
          errors.push(new ConfigConflictError(`${path}: service "${service.name}" runs ${replicas} replicas, and they cannot all have address ${address}`, { location: at(path), hint: 'remove the fixed address, or run one replica' }));
        }
        owners.set(key, service.name);
      }
    }
  }
  return errors;
}
