import { isIP } from './ip.js';
import type { PortMapping, PortProtocol } from './model.js';

/** Why a port entry is invalid; the caller attaches the location. */
export class PortFailure extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const PROTOCOLS = new Set<PortProtocol>(['tcp', 'udp', 'sctp']);
const SHORT_SYNTAX_HINT = 'the short syntax is [HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL], e.g. "127.0.0.1:8080:80/tcp"';

interface PortRange {
  start: number;
  end: number;
}

function parseRange(text: string, what: string): PortRange {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) throw new PortFailure(`invalid ${what} "${text}"`, SHORT_SYNTAX_HINT);
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  // Host port 0 lets the engine choose, as `docker run -p 0:80` does.
  if (what === 'host port' && start === 0 && end === 0) return { start, end };
  if (start < 1 || start > 65535) throw new PortFailure(`${what} ${start} is out of range: ports are 1 to 65535`);
  if (end < 1 || end > 65535) throw new PortFailure(`${what} ${end} is out of range: ports are 1 to 65535`);
  if (end < start) throw new PortFailure(`invalid ${what} range "${text}": the end is below the start`);
  return { start, end };
}

function parseProtocol(text: string | undefined): PortProtocol {
  const protocol = (text ?? 'tcp').toLowerCase();
  if (!PROTOCOLS.has(protocol as PortProtocol)) throw new PortFailure(`invalid protocol "${text}"`, 'use tcp, udp or sctp');
  return protocol as PortProtocol;
}

function checkHostIp(ip: string): string {
  if (isIP(ip) === 0) throw new PortFailure(`invalid host IP "${ip}"`, 'write an IPv4 address, or an IPv6 address in brackets: "[::1]:8080:80"');
  return ip;
}

/** Splits `[HOST_IP:][HOST_PORT:]CONTAINER_PORT` into its parts, with IPv6 host addresses in brackets or bare. */
function splitShortSyntax(spec: string): { hostIp?: string; hostPort?: string; containerPort: string } {
  if (spec.startsWith('[')) {
    const close = spec.indexOf(']');
    if (close < 0 || spec[close + 1] !== ':') throw new PortFailure(`invalid port "${spec}": unclosed "[" around the host IP`, SHORT_SYNTAX_HINT);
    const rest = spec.slice(close + 2).split(':');
    if (rest.length !== 2) throw new PortFailure(`invalid port "${spec}"`, SHORT_SYNTAX_HINT);
    return { hostIp: spec.slice(1, close), hostPort: rest[0], containerPort: rest[1]! };
  }
  const parts = spec.split(':');
  if (parts.length === 1) return { containerPort: parts[0]! };
  if (parts.length === 2) return { hostPort: parts[0], containerPort: parts[1]! };
  return { hostIp: parts.slice(0, -2).join(':'), hostPort: parts.at(-2), containerPort: parts.at(-1)! };
}

/** One short-syntax entry (`"127.0.0.1:8000-8001:80-81/udp"`, `80`) as long-syntax mappings, ranges expanded. */
export function parseShortPort(entry: string | number): PortMapping[] {
  const spec = String(entry).trim();
  const slash = spec.lastIndexOf('/');
  const protocol = parseProtocol(slash >= 0 ? spec.slice(slash + 1) : undefined);
  const { hostIp, hostPort, containerPort } = splitShortSyntax(slash >= 0 ? spec.slice(0, slash) : spec);
  const container = parseRange(containerPort, 'container port');
  const ip = hostIp === undefined || hostIp === '' ? undefined : checkHostIp(hostIp);
  const containerCount = container.end - container.start + 1;

  if (hostPort === undefined || hostPort === '') {
    return range(container).map((target) => shortMapping(target, undefined, protocol, ip));
  }
  const host = parseRange(hostPort, 'host port');
  const hostCount = host.end - host.start + 1;
  if (containerCount === 1) {
    // A host range for one container port means "any free port of this range".
    return [shortMapping(container.start, hostPort, protocol, ip)];
  }
  if (hostCount !== containerCount) {
    throw new PortFailure(
      `host port range ${hostPort} (${hostCount} ports) and container port range ${containerPort} (${containerCount} ports) differ in length`,
      'give ranges of the same length, or a single container port',
    );
  }
  return range(container).map((target, index) => shortMapping(target, String(host.start + index), protocol, ip));
}

/** A mapping of the short syntax, its keys in the order compose prints them (made property by property: this runs for every port of every file). */
function shortMapping(target: number, published: string | undefined, protocol: PortProtocol, ip: string | undefined): PortMapping {
  const mapping = { target } as PortMapping;
  if (published !== undefined) mapping.published = published;
  mapping.protocol = protocol;
  mapping.mode = 'ingress';
  if (ip) mapping.host_ip = ip;
  return mapping;
}

/** One long-syntax entry, checked, with a published range kept as compose keeps it. */
export function parseLongPort(entry: Record<string, unknown>): PortMapping {
  const target = Number(entry.target);
  if (!Number.isInteger(target) || target < 1 || target > 65535) throw new PortFailure(`container port ${String(entry.target)} is out of range: ports are 1 to 65535`);
  const mapping: PortMapping = { target, protocol: parseProtocol(entry.protocol as string | undefined), mode: entry.mode === 'host' ? 'host' : 'ingress' };
  if (entry.published !== undefined && entry.published !== null && entry.published !== '') {
    const published = String(entry.published);
    parseRange(published, 'host port');
    mapping.published = published;
  }
  if (typeof entry.host_ip === 'string' && entry.host_ip !== '') mapping.host_ip = checkHostIp(entry.host_ip.replace(/^\[(.*)\]$/, '$1'));
  if (typeof entry.name === 'string') mapping.name = entry.name;
  if (typeof entry.app_protocol === 'string') mapping.app_protocol = entry.app_protocol;
  for (const [key, value] of Object.entries(entry)) if (key.startsWith('x-')) (mapping as unknown as Record<string, unknown>)[key] = value;
  return mapping;
}

function range({ start, end }: PortRange): number[] {
  const out: number[] = [];
  for (let port = start; port <= end; port++) out.push(port);
  return out;
}
