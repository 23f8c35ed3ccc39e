import { findHeldHostPorts, isLocalEngine } from '../engine/host-ports.js';
import type { EngineConnection } from '../engine/client.js';
import { TscomposeError } from '../errors.js';
import type { ObservedState, Plan } from '../planner/types.js';

/** A host port that a process outside Docker holds. */
export class HostPortInUseError extends TscomposeError {}

/**
 * Before the first create, on a local engine: test-binds every host port the plan publishes on a
 * new container, so that a port held by a process outside Docker is reported (with the process,
 * where /proc tells it) before anything is created, not after half the stack is up. Ports that
 * containers publish are the planner's business (conflicts) and are left out here.
 */
export async function checkHostPorts(plan: Plan, observed: ObservedState, connection: EngineConnection): Promise<void> {
  if (!isLocalEngine(connection.address)) return;
  const publishedByContainers = new Set(observed.containers.flatMap((container) => container.ports.map((port) => `${port.protocol}/${port.hostPort}`)));
  const wanted = plan.containers
    .filter((container) => container.action === 'create' || container.action === 'recreate')
    .flatMap((container) => container.ports.map((port) => ({ container: container.name, port })))
    .filter(({ port }) => port.hostPort !== undefined && !port.hostPort.includes('-') && !publishedByContainers.has(`${port.protocol}/${port.hostPort}`));
  if (wanted.length === 0) return;
  const held = await findHeldHostPorts(wanted.map(({ port }) => ({ hostIp: port.hostIp, hostPort: Number(port.hostPort), protocol: port.protocol as 'tcp' | 'udp' | 'sctp' })));
  if (held.length === 0) return;
  const lines = held.map((port) => {
    const user = wanted.find(({ port: p }) => Number(p.hostPort) === port.hostPort && p.protocol === port.protocol)?.container;
    const owner = port.process ? `process ${port.process.pid} (${port.process.command})` : 'another process';
    return `host port ${port.hostIp || '0.0.0.0'}:${port.hostPort}/${port.protocol} for ${user} is held by ${owner}`;
  });
  throw new HostPortInUseError(lines.length === 1 ? lines[0]! : `host ports in use:\n${lines.map((line) => `  - ${line}`).join('\n')}`, {
    hint: 'nothing was created; stop that process or publish another host port',
  });
}
