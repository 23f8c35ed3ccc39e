import { ConfigConflictError, SchemaError, type TscomposeError } from '../errors.js';
import { isIP, type At } from './checks.js';
import type { Locator } from './locator.js';
import type { ComposeProject, ServiceConfig } from './model.js';
import { joinPath } from './source-file.js';

/** Six bytes in hex, separated by ":" or "-" (Go's net.ParseMAC, which the engine uses, for Ethernet). */
const MAC_ADDRESS = /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}$/;

/**
 * Service settings the engine refuses only once containers are being created (or, worse,
 * takes): negative replica counts, a container name that two services share,
 * MAC addresses and extra_hosts addresses that are not addresses.
 */
export function checkServices(project: ComposeProject, locator: Locator, { consistency }: { consistency: boolean }): TscomposeError[] {
  const errors: TscomposeError[] = [];
  const at: At = (path, prefer = 'value') => locator.locate(path, prefer);
  const containerNames = new Map<string, string>();
  for (const service of Object.values(project.services)) {
    // Paths are made only for what is reported: this runs for every service of every command.
    const base = () => joinPath('services', service.name);
    const deploy = service.deploy as { replicas?: unknown } | undefined;
    if (typeof service.scale === 'number' && service.scale < 0) negativeReplicas(joinPath(base(), 'scale'), service.scale, at, errors);
    if (typeof deploy?.replicas === 'number' && deploy.replicas < 0) negativeReplicas(joinPath(joinPath(base(), 'deploy'), 'replicas'), deploy.replicas, at, errors);
    const name = service.container_name;
    // A shared container name is a consistency check in compose, off with config --no-consistency.
    if (name !== undefined && consistency) {
      const owner = containerNames.get(name);
      // The schema holds container names to the engine's pattern already.
      if (owner !== undefined) {
        const path = joinPath(base(), 'container_name');
        errors.push(new ConfigConflictError(`${path}: "${name}" is also the container_name of service "${owner}"`, { location: at(path), hint: 'a container name can be used only once on an engine' }));
      }
      containerNames.set(name, service.name);
    }
    checkMacAddresses(service, base, at, errors);
    if (service.extra_hosts.length > 0) checkExtraHosts(service.extra_hosts, joinPath(base(), 'extra_hosts'), at, errors);
    const build = service.build as { extra_hosts?: unknown } | undefined;
    if (Array.isArray(build?.extra_hosts)) checkExtraHosts(build.extra_hosts, joinPath(joinPath(base(), 'build'), 'extra_hosts'), at, errors);
  }
  return errors;
}

function negativeReplicas(path: string, count: number, at: At, errors: TscomposeError[]): void {
  errors.push(new SchemaError(`${path} is ${count}; the number of replicas cannot be negative`, { location: at(path), hint: 'use 0 to create no container for the service' }));
}

function checkMacAddresses(service: ServiceConfig, base: () => string, at: At, errors: TscomposeError[]): void {
  if (!isMacAddress(service.mac_address)) badMacAddress(joinPath(base(), 'mac_address'), service.mac_address, at, errors);
  const networks = service.networks;
  if (networks === undefined) return;
  for (const network in networks) {
    const mac = networks[network]?.mac_address;
    if (!isMacAddress(mac)) badMacAddress(joinPath(joinPath(joinPath(base(), 'networks'), network), 'mac_address'), mac, at, errors);
  }
}

/** Absent, or six bytes in hex. */
function isMacAddress(mac: unknown): boolean {
  return mac === undefined || (typeof mac === 'string' && MAC_ADDRESS.test(mac));
}

function badMacAddress(path: string, mac: unknown, at: At, errors: TscomposeError[]): void {
  errors.push(new SchemaError(`${path}: "${String(mac)}" is not a MAC address`, { location: at(path), hint: 'six bytes in hex, e.g. 02:42:ac:11:00:02' }));
}

/** Canonical entries are `host=address`; the address is an IP (brackets allowed around IPv6) or host-gateway. */
function checkExtraHosts(entries: readonly unknown[], path: string, at: At, errors: TscomposeError[]): void {
  entries.forEach((entry, index) => {
    const text = String(entry);
    const equals = text.indexOf('=');
    const address = equals < 0 ? '' : text.slice(equals + 1).replace(/^\[(.*)\]$/, '$1');
    if (isIP(address) !== 0 || address === 'host-gateway') return;
    const host = equals < 0 ? text : text.slice(0, equals);
    errors.push(new SchemaError(`${path}: "${address}" is not an IP address (for host "${host}")`, {
      location: at(joinPath(path, index)),
      hint: 'write HOST:IP or HOST=IP, with an IPv4 or IPv6 address or host-gateway',
    }));
  });
}
