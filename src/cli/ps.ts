import { loadProjectOrName, ps, UsageError, type ProjectContainer, type PublishedHostPort } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import { formatTable } from './table.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';

export const PS_OPTIONS: OptionSpec[] = [
  { name: 'format', value: true, placeholder: 'table|json', description: 'Output format (default: table)' },
  { name: 'all', short: 'a', description: 'Show stopped containers too (default: only running ones)' },
  { name: 'quiet', short: 'q', description: 'Only print container ids' },
];

/** Docker's width for the COMMAND column, so a long command does not push the table off the screen. */
const COMMAND_WIDTH = 20;

/** `ps`: the project's containers (found by label) as a table, JSON, or ids. */
export async function psCommand({ global, options, positionals, stdout, stderr }: CommandContext): Promise<number> {
  const format = (options.format as string | undefined) ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`unknown format "${format}"`, { hint: 'use --format table or --format json' });
  const loadOptions = loadOptionsFrom(global);
  const target = loadProjectOrName(loadOptions);
  for (const warning of target.warnings) warn({ global, stderr }, warning);
  const containers = await ps({ ...loadOptions, project: target.project, services: positionals, all: Boolean(options.all) });
  if (options.quiet) stdout.write(containers.map((container) => container.id + '\n').join(''));
  else if (format === 'json') stdout.write(JSON.stringify(containers, null, 2) + '\n');
  else stdout.write(psTable(containers, Date.now()) + '\n');
  return 0;
}

/** Where a published port answers on the host: `127.0.0.1:8080`, `[::]:8080`. */
export function hostAddress(port: PublishedHostPort): string {
  const ip = port.hostIp.includes(':') ? `[${port.hostIp}]` : port.hostIp;
  return ip ? `${ip}:${port.hostPort}` : String(port.hostPort);
}

function psTable(containers: ProjectContainer[], now: number): string {
  const header = ['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'];
  const rows = containers.map((container) => [
    container.name,
    container.image,
    JSON.stringify(container.command.length > COMMAND_WIDTH ? container.command.slice(0, COMMAND_WIDTH - 1) + '…' : container.command),
    container.service,
    `${humanDuration(now - Date.parse(container.created))} ago`,
    container.status,
    container.ports.map((port) => `${hostAddress(port)}->${port.containerPort}/${port.protocol}`).join(', '),
  ]);
  return formatTable(header, rows, '   ');
}

/** A duration as docker words it: `Less than a second`, `About a minute`, `3 hours`, `2 weeks`. */
function humanDuration(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (seconds < 1) return 'Less than a second';
  if (seconds < 60) return plural(seconds, 'second');
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return plural(minutes, 'minute');
  if (hours === 1) return 'About an hour';
  if (hours < 48) return plural(hours, 'hour');
  if (hours < 24 * 7 * 2) return plural(Math.floor(hours / 24), 'day');
  if (hours < 24 * 30 * 2) return plural(Math.floor(hours / 24 / 7), 'week');
  if (hours < 24 * 365 * 2) return plural(Math.floor(hours / 24 / 30), 'month');
  return plural(Math.floor(hours / 24 / 365), 'year');
}
