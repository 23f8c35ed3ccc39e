import { isIP } from 'node:net';
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
  return conflicts;
}
