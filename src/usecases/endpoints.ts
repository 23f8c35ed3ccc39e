import type { ProjectContainer, PublishedPort } from '../engine/project-containers.js';

/** Where the host reaches one published port of one container. */
export interface Endpoint {
  service: string;
  /** The replica number, from 1. */
  number: number;
  container: string;
  containerPort: number;
  /** tcp, udp or sctp. */
  protocol: string;
  /** The address the engine bound on its host: `0.0.0.0`, `::`, `127.0.0.1`… */
  hostIp: string;
  /** The address to connect to: the bound one, or for a wildcard binding the loopback address (the engine's host name for a remote engine). */
  host: string;
  /** The host port, the one the engine chose when the compose file left it random. */
  hostPort: number;
  /** `host:port`, an IPv6 host in brackets: what a client connects to. */
  address: string;
}

/** What `env` prints: the project's endpoints, and the same as Docker link variables. */
export interface ProjectEnv {
  project: string;
  endpoints: Endpoint[];
  /** `DB_PORT_5432_TCP` → `tcp://127.0.0.1:8001`…, in the order they are printed. */
  variables: Record<string, string>;
}

export interface EndpointOptions {
  /** The host name of a remote engine (DOCKER_HOST tcp:// or ssh://): wildcard bindings are reached there, not on loopback. */
  engineHost?: string;
}

/**
 * One endpoint per published container port, in Docker's link order (port number, tcp first).
 * A port bound on both 0.0.0.0 and :: (how the engine lists a wildcard binding) gives one
 * endpoint, the IPv4 one.
 */
export function endpointsOf(containers: readonly ProjectContainer[], options: EndpointOptions = {}): Endpoint[] {
  const endpoints: Endpoint[] = [];
  for (const container of containers) {
    const byPort = new Map<string, PublishedPort[]>();
    for (const port of container.ports) {
      const key = `${port.containerPort}/${port.protocol}`;
      byPort.set(key, [...(byPort.get(key) ?? []), port]);
    }
    const chosen = [...byPort.values()].map((bindings) => bindings.find((binding) => !isIPv6(binding.hostIp)) ?? bindings[0]!);
    chosen.sort((a, b) => a.containerPort - b.containerPort || protocolRank(a.protocol) - protocolRank(b.protocol));
    for (const binding of chosen) {
      const host = reachableHost(binding.hostIp, options.engineHost);
      endpoints.push({
        service: container.service,
        number: container.number,
        container: container.name,
        containerPort: binding.containerPort,
        protocol: binding.protocol,
        hostIp: binding.hostIp,
        host,
        hostPort: binding.hostPort,
        address: `${isIPv6(host) ? `[${host}]` : host}:${binding.hostPort}`,
      });
    }
  }
  return endpoints;
}

/** A wildcard binding answers on loopback (or, for a remote engine, on the engine's host); any other on its own address. */
function reachableHost(hostIp: string, engineHost: string | undefined): string {
  const wildcard = hostIp === '' || hostIp === '0.0.0.0' || hostIp === '::';
  if (!wildcard) return hostIp;
  if (engineHost) return engineHost;
  return hostIp === '::' ? '::1' : '127.0.0.1';
}

function isIPv6(address: string): boolean {
  return address.includes(':');
}

const PROTOCOL_ORDER = ['tcp', 'udp', 'sctp'];

/** Docker's link order: at the same port number, tcp first. */
function protocolRank(protocol: string): number {
  const rank = PROTOCOL_ORDER.indexOf(protocol);
  return rank < 0 ? PROTOCOL_ORDER.length : rank;
}
