import { ls, UsageError } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import type { CommandContext } from './global-options.js';
import { formatTable } from './table.js';

export const LS_OPTIONS: OptionSpec[] = [
  { name: 'all', short: 'a', description: 'Stopped projects too' },
  { name: 'quiet', short: 'q', description: 'Only the project names' },
  { name: 'format', value: true, placeholder: 'table|json', description: 'Output format (default: table)' },
  { name: 'filter', value: true, placeholder: 'name=TEXT', description: 'Only projects whose name contains TEXT' },
];

/** `ls`: every compose project on the engine, with its status and compose files. */
export async function lsCommand({ options, stdout }: CommandContext): Promise<number> {
  const format = (options.format as string | undefined) ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`unknown format "${format}"`, { hint: 'use --format table or --format json' });
  const filter = options.filter as string | undefined;
  if (filter !== undefined && !filter.startsWith('name=')) throw new UsageError(`unknown filter "${filter}"`, { hint: 'ls filters by name: --filter name=TEXT' });
  const projects = await ls({ all: Boolean(options.all), ...(filter ? { name: filter.slice('name='.length) } : {}) });
  if (options.quiet) stdout.write(projects.map((project) => `${project.name}\n`).join(''));
  else if (format === 'json') stdout.write(JSON.stringify(projects.map((project) => ({ Name: project.name, Status: project.status, ConfigFiles: project.configFiles }))) + '\n');
  else stdout.write(formatTable(['NAME', 'STATUS', 'CONFIG FILES'], projects.map((project) => [project.name, project.status, project.configFiles])) + '\n');
  return 0;
}
