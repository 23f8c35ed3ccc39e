import { port, UsageError } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';
import { hostAddress } from './ps.js';

export const PORT_OPTIONS: OptionSpec[] = [
  { name: 'index', value: true, placeholder: 'N', description: 'Which replica of the service (default: 1)' },
  { name: 'protocol', value: true, placeholder: 'tcp|udp|sctp', description: 'The port\'s protocol (default: tcp, or the one after PRIVATE_PORT/)' },
];

const PROTOCOLS = ['tcp', 'udp', 'sctp'];

/** `port SERVICE PRIVATE_PORT[/PROTO]`: the host address where a running container's port is published. */
export async function portCommand({ global, options, positionals, stdout, stderr }: CommandContext): Promise<number> {
  const [service, portArgument, ...extra] = positionals;
  if (service === undefined || portArgument === undefined || extra.length > 0) {
    throw new UsageError('port takes a service and a private port', { hint: 'tscompose port [--index N] [--protocol tcp|udp] SERVICE PRIVATE_PORT[/PROTO]' });
  }
  const { containerPort, protocol } = parsePrivatePort(portArgument, options.protocol as string | undefined);
  const index = options.index === undefined ? 1 : Number(options.index);
  if (!(Number.isInteger(index) && index >= 1)) throw new UsageError(`--index takes a replica number from 1, not "${String(options.index)}"`);
  const { binding, warnings } = await port({ ...loadOptionsFrom(global), service, containerPort, protocol, index });
  for (const warning of warnings) warn({ global, stderr }, warning);
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
