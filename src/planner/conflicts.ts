import { isIP } from '../loader/ip.js';
import { LABEL } from './labels.js';
import type { Conflict, ObservedContainer, PlannedContainer } from './types.js';

/** Whether two host bindings of the same port and protocol would collide. */
function addressesCollide(a: string, b: string): boolean {
  const wildcard = (ip: string) => ip === '' || ip === '0.0.0.0' || ip === '::';
  if (a === b || a === '' || b === '') return true;
  if (wildcard(a)) return isIP(b) === isIP(a);
  if (wildcard(b)) return isIP(a) === isIP(b);
  return false;
}

function describeHolder(container: ObservedContainer): { text: string; project?: string } {
  const project = container.labels[LABEL.project];
  return { text: `container "${container.name}"${project ? ` of project "${project}"` : ''}`, ...(project ? { project } : {}) };
}

/**
 * Conflicts with what the whole engine holds, found before anything is created: host ports
 * already published by another container, and container names already taken.
 * `leaving` are the observed containers this plan removes (their ports and names come free).
 */
export function containerConflicts(planned: readonly PlannedContainer[], observed: readonly ObservedContainer[], leaving: ReadonlySet<string>): Conflict[] {
  const conflicts: Conflict[] = [];
  const staying = observed.filter((container) => !leaving.has(container.id));
  const byName = new Map(staying.map((container) => [container.name, container]));
  const byPort = new Map<string, { holder: ObservedContainer; hostIp: string; hostPort: number }[]>();
  for (const holder of staying) {
    for (const held of holder.ports) {
      const key = `${held.protocol}/${held.hostPort}`;
      const list = byPort.get(key) ?? [];
      list.push({ holder, hostIp: held.hostIp, hostPort: held.hostPort });
      byPort.set(key, list);
    }
  }
  for (const container of planned) {
    if (container.action !== 'create' && container.action !== 'recreate') continue;
    const resource = `container:${container.name}`;
    const sameName = byName.get(container.name);
    if (sameName) {
      const holder = describeHolder(sameName);
      conflicts.push({
        kind: 'container-name-taken',
        resource,
        message: `container name "${container.name}" (services.${container.service}) is already taken by ${holder.text}`,
        holder: { kind: 'container', name: sameName.name, ...(holder.project ? { project: holder.project } : {}) },
      });
    }
    for (const port of container.ports) {
      if (port.hostPort === undefined || port.hostPort.includes('-')) continue;
      const hostPort = Number(port.hostPort);
      const clashes = (byPort.get(`${port.protocol}/${hostPort}`) ?? []).filter((held) => addressesCollide(held.hostIp, port.hostIp));
      // The engine lists a wildcard binding twice (0.0.0.0 and ::): one conflict per holder.
      for (const other of [...new Set(clashes.map((held) => held.holder))]) {
        const clash = clashes.find((held) => held.holder === other)!;
        const holder = describeHolder(other);
        conflicts.push({
          kind: 'port-in-use',
          resource,
          message: `host port ${port.hostIp ? `${port.hostIp}:` : ''}${hostPort}/${port.protocol} for ${container.name} is already published by ${holder.text} (${clash.hostIp || '0.0.0.0'}:${clash.hostPort})`,
          holder: { kind: 'container', name: other.name, ...(holder.project ? { project: holder.project } : {}) },
        });
      }
    }
  }
  conflicts.push(...ownPortClashes(planned));
  return conflicts;
}

/**
 * Host ports two containers of this plan would both publish: valid compose (a swarm publishes
 * them through its routing mesh), but one engine binds a host address and port once. Found
 * before anything is created, naming both holders.
 */
function ownPortClashes(planned: readonly PlannedContainer[]): Conflict[] {
  const conflicts: Conflict[] = [];
  const claims = new Map<string, { container: PlannedContainer; hostIp: string }[]>();
  for (const container of planned) {
    if (container.action !== 'create' && container.action !== 'recreate') continue;
    for (const port of container.ports) {
      // A range is a pool to pick from, 0 lets the engine choose: neither claims one port.
      if (port.hostPort === undefined || port.hostPort.includes('-') || port.hostPort === '0') continue;
      const key = `${port.protocol}/${port.hostPort}`;
      const earlier = claims.get(key) ?? [];
      const clash = earlier.find((claim) => claim.container !== container && addressesCollide(claim.hostIp, port.hostIp));
      if (clash) {
        const sameService = clash.container.service === container.service;
        conflicts.push({
          kind: 'port-in-use',
          resource: `container:${container.name}`,
          message: `host port ${port.hostIp ? `${port.hostIp}:` : ''}${port.hostPort}/${port.protocol} for ${container.name} (services.${container.service}) is also published by ${clash.container.name} (services.${clash.container.service}); one engine binds a host port once: ${sameService ? 'publish a range of host ports, one per replica, or leave the host port out' : 'change one of the host ports'}`,
          holder: { kind: 'container', name: clash.container.name },
        });
      }
      earlier.push({ container, hostIp: port.hostIp });
      claims.set(key, earlier);
    }
  }
  return conflicts;
}
