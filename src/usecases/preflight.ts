import { findHeldHostPorts, isLocalEngine } from '../engine/host-ports.js';
import type { EngineConnection } from '../engine/client.js';
import type { Conflict, ObservedState, Plan } from '../planner/types.js';

/**
 * On a local engine: test-binds every host port the plan publishes on a new container, so that a
 * port held by a process outside Docker is a conflict of the plan (naming the process, where
 * /proc tells it), seen by the dry run too and reported before anything is created. Ports that
 * containers publish are the planner's business and are left out here.
 */
export async function heldHostPortConflicts(plan: Plan, observed: ObservedState, connection: EngineConnection): Promise<Conflict[]> {
  if (!isLocalEngine(connection.address)) return [];
  const publishedByContainers = new Set(observed.containers.flatMap((container) => container.ports.map((port) => `${port.protocol}/${port.hostPort}`)));
  const wanted = plan.containers
    .filter((container) => container.action === 'create' || container.action === 'recreate')
    .flatMap((container) => container.ports.map((port) => ({ container: container.name, port })))
    .filter(({ port }) => port.hostPort !== undefined && !port.hostPort.includes('-') && !publishedByContainers.has(`${port.protocol}/${port.hostPort}`));
  if (wanted.length === 0) return [];
  const held = await findHeldHostPorts(wanted.map(({ port }) => ({ hostIp: port.hostIp, hostPort: Number(port.hostPort), protocol: port.protocol as 'tcp' | 'udp' | 'sctp' })));
  return held.map((port): Conflict => {
    const user = wanted.find(({ port: p }) => Number(p.hostPort) === port.hostPort && p.protocol === port.protocol)?.container ?? '?';
    const owner = port.process ? `process ${port.process.pid} (${port.process.command})` : 'another process';
    return {
      kind: 'port-in-use',
      message: `host port ${port.hostIp || '0.0.0.0'}:${port.hostPort}/${port.protocol} for ${user} is held by ${owner}`,
      resource: `container:${user}`,
      holder: port.process ? { kind: 'process', name: port.process.command, pid: port.process.pid } : { kind: 'process', name: 'unknown' },
    };
  });
}
