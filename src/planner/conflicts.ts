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
  for (const container of planned) {
    if (container.action !== 'create' && container.action !== 'recreate') continue;
    const resource = `container:${container.name}`;
    const sameName = staying.find((other) => other.name === container.name);
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
      for (const other of staying) {
        const clash = other.ports.find((held) => held.hostPort === hostPort && held.protocol === port.protocol && addressesCollide(held.hostIp, port.hostIp));
        if (!clash) continue;
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
