import { containerSummaries, loadProjectOrName, UsageError, type PublishedHostPort } from '../usecases/index.js';
import type { OptionSpec, ParsedOptions } from './args.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';
import { psRecord, renderPs } from './ps-format.js';

/** The engine's container states, which --status takes. */
const STATES = ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'];

export const PS_OPTIONS: OptionSpec[] = [
  { name: 'format', value: true, placeholder: 'table|json|TEMPLATE', description: 'table (default), json (one line per container, as compose prints it) or a Go template ({{.Name}}, {{json .}}…)' },
  { name: 'all', short: 'a', description: 'Show stopped containers too (default: only running ones)' },
  { name: 'quiet', short: 'q', description: 'Only print container ids' },
  { name: 'services', description: 'Only print the services that have containers, one per line' },
  { name: 'status', value: true, repeat: true, placeholder: 'STATE', description: `Only containers in this state (repeatable): ${STATES.join(', ')}` },
  { name: 'filter', value: true, placeholder: 'status=STATE', description: 'Filter containers by a property (only status)' },
  { name: 'no-trunc', description: 'Do not truncate ids, commands and mount names' },
];

/** `ps`: the project's containers (found by label) as a table, JSON lines, a template, ids or services. */
export async function psCommand({ global, options, positionals, stdout, stderr }: CommandContext): Promise<number> {
  const format = (options.format as string | undefined) ?? 'table';
  const statuses = statusesOf(options);
  const loadOptions = loadOptionsFrom(global);
  const target = loadProjectOrName(loadOptions);
  for (const warning of target.warnings) warn({ global, stderr }, warning);
  const listed = await containerSummaries({ ...loadOptions, project: target.project, services: positionals, all: Boolean(options.all) || statuses.length > 0 });
  const containers = statuses.length > 0 ? listed.filter((container) => statuses.includes(container.State)) : listed;
  if (options.quiet) stdout.write(containers.map((container) => container.ID + '\n').join(''));
  else if (options.services) stdout.write([...new Set(containers.map((container) => container.Service))].map((service) => service + '\n').join(''));
  else {
    const now = Date.now();
    const records = containers.map((container) => psRecord(container, { trunc: !options['no-trunc'], now }));
    stdout.write(renderPs(records, containers.map((container) => container.Labels), format));
  }
  return 0;
}

/** --status values and a --filter status=…, checked as compose checks them. */
function statusesOf(options: ParsedOptions): string[] {
  const statuses = [...((options.status as string[] | undefined) ?? [])];
  const filter = options.filter as string | undefined;
  if (filter !== undefined) {
    const [key, value] = filter.split(/=(.*)/s, 2);
    if (value === undefined) throw new UsageError('arguments to --filter should be in form KEY=VAL');
    if (key !== 'status') throw new UsageError(`unknown filter ${key}`, { hint: 'the only filter is status=STATE' });
    statuses.push(value);
  }
  for (const status of statuses) {
    if (!STATES.includes(status)) throw new UsageError(`unknown status "${status}"`, { hint: `one of ${STATES.join(', ')}` });
  }
  return statuses;
}

/** Where a published port answers on the host: `127.0.0.1:8080`, `[::]:8080`. */
export function hostAddress(port: PublishedHostPort): string {
  const ip = port.hostIp.includes(':') ? `[${port.hostIp}]` : port.hostIp;
  return ip ? `${ip}:${port.hostPort}` : String(port.hostPort);
}
