import { inSubnet } from '../loader/checks.js';
import type { ComposeProject, NetworkConfig } from '../loader/model.js';
import { VERSION } from '../version.js';
import { configHash } from './config-hash.js';
import { changesCause, recordedChanges, recordedConfig } from './config-diff.js';
import { LABEL } from './labels.js';
import type { Conflict, NetworkCreateRequest, ObservedNetwork, PlannedNetwork } from './types.js';

/** What, when it changes, requires the network to be recreated: hashed, and recorded in LABEL.config. */
function hashedNetworkConfig(config: NetworkConfig): Record<string, unknown> {
  return {
    driver: config.driver ?? 'bridge',
    driver_opts: config.driver_opts ?? {},
    ipam: config.ipam ?? {},
    internal: config.internal ?? false,
    attachable: config.attachable ?? false,
    enable_ipv6: config.enable_ipv6 ?? false,
    labels: config.labels ?? {},
  };
}

export function networkCreateRequest(project: ComposeProject, key: string, config: NetworkConfig, hash: string): NetworkCreateRequest {
  const ipam = config.ipam ?? {};
  return {
    Name: config.name,
    Driver: config.driver ?? 'bridge',
    Options: config.driver_opts ?? {},
    IPAM: {
      Driver: ipam.driver ?? 'default',
      Config: (ipam.config ?? []).map((pool) => ({
        ...(pool.subnet ? { Subnet: pool.subnet } : {}),
        ...(pool.ip_range ? { IPRange: pool.ip_range } : {}),
        ...(pool.gateway ? { Gateway: pool.gateway } : {}),
        ...(pool.aux_addresses ? { AuxiliaryAddresses: pool.aux_addresses } : {}),
      })),
      Options: ipam.options ?? {},
    },
    Internal: config.internal ?? false,
    Attachable: config.attachable ?? false,
    EnableIPv6: config.enable_ipv6 ?? false,
    Labels: {
      ...(config.labels ?? {}),
      [LABEL.project]: project.name,
      [LABEL.network]: key,
      [LABEL.version]: VERSION,
      [LABEL.configHash]: hash,
      [LABEL.config]: recordedConfig(hashedNetworkConfig(config)),
    },
    CheckDuplicate: true,
  };
}

function subnetsOf(config: NetworkConfig): string[] {
  return (config.ipam?.config ?? []).map((pool) => pool.subnet).filter((subnet): subnet is string => typeof subnet === 'string');
}

/** Whether two CIDR blocks share any address. */
export function subnetsOverlap(a: string, b: string): boolean {
  return inSubnet(a.split('/')[0]!, b) || inSubnet(b.split('/')[0]!, a);
}

/**
 * Decides for each network the services use whether to create, keep or recreate it, from what
 * the engine holds under the same name; a network this project does not own is a conflict.
 */
export function planNetworks(project: ComposeProject, keys: readonly string[], observed: readonly ObservedNetwork[], haveEngine: boolean): { networks: PlannedNetwork[]; conflicts: Conflict[] } {
  const byName = new Map(observed.map((network) => [network.name, network]));
  const networks: PlannedNetwork[] = [];
  const conflicts: Conflict[] = [];
  for (const key of keys) {
    const config = project.networks[key]!;
    const hash = configHash(hashedNetworkConfig(config));
    const existing = byName.get(config.name);
    const base = { key, name: config.name, driver: config.driver ?? 'bridge', subnets: subnetsOf(config), internal: config.internal ?? false, configHash: hash, ...(existing ? { existingId: existing.id } : {}) };
    const resource = `network:${config.name}`;
    if (config.external) {
      networks.push({ ...base, action: 'external', cause: 'external' });
      if (haveEngine && !existing) {
        conflicts.push({ kind: 'external-network-missing', resource, message: `external network "${config.name}" (networks.${key}) does not exist; create it first, e.g. docker network create ${config.name}` });
      }
      continue;
    }
    if (!existing) {
      networks.push({ ...base, action: 'create', cause: 'not found', request: networkCreateRequest(project, key, config, hash) });
      continue;
    }
    const owner = existing.labels[LABEL.project];
    if (owner !== project.name) {
      networks.push({ ...base, action: 'keep', cause: 'not owned by this project' });
      conflicts.push({
        kind: 'foreign-network',
        resource,
        message: `network "${config.name}" already exists and belongs to ${owner ? `project "${owner}"` : 'no compose project'}; tscompose never removes a network it does not own. Remove or rename it, or mark networks.${key} external: true to use it`,
        holder: { kind: 'network', name: existing.name, ...(owner ? { project: owner } : {}) },
      });
      continue;
    }
    const recordedHash = existing.labels[LABEL.configHash];
    const unchanged = recordedHash === undefined ? existing.driver === base.driver && (base.subnets.length === 0 || base.subnets.every((s) => existing.subnets.includes(s))) : recordedHash === hash;
    if (unchanged) {
      networks.push({ ...base, action: 'keep', cause: 'unchanged' });
      continue;
    }
    const request = networkCreateRequest(project, key, config, hash);
    const changes = recordedChanges(existing.labels[LABEL.config], request.Labels[LABEL.config]!);
    networks.push({ ...base, action: 'recreate', cause: changesCause(changes), changes, request });
  }
  conflicts.push(...subnetConflicts(networks, observed));
  return { networks, conflicts };
}

function subnetConflicts(networks: readonly PlannedNetwork[], observed: readonly ObservedNetwork[]): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const network of networks) {
    if (network.action !== 'create' && network.action !== 'recreate') continue;
    for (const subnet of network.subnets) {
      const holder = observed.find((other) => other.name !== network.name && other.subnets.some((existing) => subnetsOverlap(subnet, existing)));
      if (!holder) continue;
      const owner = holder.labels[LABEL.project];
      conflicts.push({
        kind: 'subnet-overlap',
        resource: `network:${network.name}`,
        message: `subnet ${subnet} of network "${network.name}" overlaps ${holder.subnets.join(', ')} of existing network "${holder.name}"${owner ? ` (project "${owner}")` : ''}`,
        holder: { kind: 'network', name: holder.name, ...(owner ? { project: owner } : {}) },
      });
    }
  }
  return conflicts;
}
