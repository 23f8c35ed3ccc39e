import { TscomposeError, UsageError } from '../errors.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';
import { loadProjectOrName, requireServices } from '../executor/project-target.js';
import { hostAddress } from './ps.js';

export const PORT_OPTIONS: OptionSpec[] = [
  { name: 'index', value: true, placeholder: 'N', description: 'Which replica of the service (default: 1)' },
  { name: 'protocol', value: true, placeholder: 'tcp|udp|sctp', description: 'The port\'s protocol (default: tcp, or the one after PRIVATE_PORT/)' },
];

const PROTOCOLS = ['tcp', 'udp', 'sctp'];

/** The service has no running container (with that replica number) to read a port from. */
export class ServiceNotRunningError extends TscomposeError {}
/** The container runs, but the engine published no host port for that container port. */
export class PortNotPublishedError extends TscomposeError {}

/** `port SERVICE PRIVATE_PORT[/PROTO]`: the host address where a running container's port is published. */
export async function portCommand({ global, options, positionals, stdout, stderr }: CommandContext): Promise<number> {
  const [service, portArgument, ...extra] = positionals;
  if (service === undefined || portArgument === undefined || extra.length > 0) {
    throw new UsageError('port takes a service and a private port', { hint: 'tscompose port [--index N] [--protocol tcp|udp] SERVICE PRIVATE_PORT[/PROTO]' });
  }
  const { containerPort, protocol } = parsePrivatePort(portArgument, options.protocol as string | undefined);
  const index = options.index === undefined ? 1 : Number(options.index);
  if (!(Number.isInteger(index) && index >= 1)) throw new UsageError(`--index takes a replica number from 1, not "${String(options.index)}"`);
  const target = loadProjectOrName(loadOptionsFrom(global));
  for (const warning of target.warnings) warn({ global, stderr }, warning);
  if (target.project) requireServices(target.project, [service]);

  const { connectEngine } = await import('../engine/client.js');
  const { listProjectContainers } = await import('../engine/project-containers.js');
  const running = (await listProjectContainers(await connectEngine(), target.name)).filter((container) => container.service === service);
  const container = running.find((candidate) => candidate.number === index);
  if (!container) {
    throw new ServiceNotRunningError(`service "${service}" has no running container${index === 1 ? '' : ` number ${index}`}`, {
      hint: running.length > 0 ? `running replicas: ${running.map((candidate) => candidate.number).join(', ')}` : `start it with: tscompose up -d ${service}`,
    });
  }
  const binding = container.ports.find((port) => port.containerPort === containerPort && port.protocol === protocol);
  if (!binding) {
    const published = [...new Set(container.ports.map((port) => `${port.containerPort}/${port.protocol}`))];
    throw new PortNotPublishedError(`port ${containerPort}/${protocol} of ${container.name} is not published`, {
      hint: published.length > 0 ? `published: ${published.join(', ')}` : `the container publishes no ports; add them under services.${service}.ports`,
    });
  }
  stdout.write(hostAddress(binding) + '\n');
  return 0;
}

/** `80`, `53/udp`, with --protocol as the fallback; both given must agree. */
function parsePrivatePort(text: string, protocolOption: string | undefined): { containerPort: number; protocol: string } {
  const [portText, suffix] = text.split('/', 2) as [string, string | undefined];
  const containerPort = Number(portText);
  if (!/^\d+$/.test(portText) || containerPort < 1 || containerPort > 65535) throw new UsageError(`"${text}" is not a container port`, { hint: 'a number from 1 to 65535, optionally with /tcp, /udp or /sctp' });
  if (suffix !== undefined && protocolOption !== undefined && suffix !== protocolOption) {
    throw new UsageError(`"${text}" and --protocol ${protocolOption} disagree`, { hint: 'give the protocol once' });
  }
  const protocol = suffix ?? protocolOption ?? 'tcp';
  if (!PROTOCOLS.includes(protocol)) throw new UsageError(`unknown protocol "${protocol}"`, { hint: `use one of ${PROTOCOLS.join(', ')}` });
  return { containerPort, protocol };
}
