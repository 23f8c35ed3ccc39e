import { ls, staleStacks, UsageError, type StackSummary } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import type { CommandContext } from './global-options.js';
import { formatTable } from './table.js';

export const LS_OPTIONS: OptionSpec[] = [
  { name: 'all', short: 'a', description: 'Stopped projects too' },
  { name: 'quiet', short: 'q', description: 'Only the project names' },
  { name: 'format', value: true, placeholder: 'table|json', description: 'Output format (default: table)' },
  { name: 'filter', value: true, placeholder: 'name=TEXT', description: 'Only projects whose name contains TEXT' },
  { name: 'stale', description: 'Only stacks whose owner process is gone (brought up by the library with isolate: true), with their owner' },
];

/** `ls`: every compose project on the engine, with its status and compose files; `--stale`: the stacks whose owner is gone. */
export async function lsCommand({ options, stdout }: CommandContext): Promise<number> {
  const format = (options.format as string | undefined) ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`unknown format "${format}"`, { hint: 'use --format table or --format json' });
  const filter = options.filter as string | undefined;
  if (filter !== undefined && !filter.startsWith('name=')) throw new UsageError(`unknown filter "${filter}"`, { hint: 'ls filters by name: --filter name=TEXT' });
  const name = filter?.slice('name='.length);
  if (options.stale) {
    const stacks = (await staleStacks()).filter((stack) => name === undefined || stack.project.includes(name));
    if (options.quiet) stdout.write(stacks.map((stack) => stack.project + '\n').join(''));
    else if (format === 'json') stdout.write(JSON.stringify(stacks, null, 2) + '\n');
    else stdout.write(formatTable(['NAME', 'CONTAINERS', 'NETWORKS', 'VOLUMES', 'OWNER'], stacks.map(staleRow)) + '\n');
    return 0;
  }
  const projects = await ls({ all: Boolean(options.all), ...(name !== undefined ? { name } : {}) });
  if (options.quiet) stdout.write(projects.map((project) => `${project.name}\n`).join(''));
  else if (format === 'json') stdout.write(JSON.stringify(projects.map((project) => ({ Name: project.name, Status: project.status, ConfigFiles: project.configFiles }))) + '\n');
  else stdout.write(formatTable(['NAME', 'STATUS', 'CONFIG FILES'], projects.map((project) => [project.name, project.status, project.configFiles])) + '\n');
  return 0;
}

function staleRow(stack: StackSummary): string[] {
  const owner = stack.owner ? `pid ${stack.owner.pid}${stack.owner.host ? ` on ${stack.owner.host}` : ''} (${stack.owner.state})` : '-';
  return [stack.project, String(stack.containers), String(stack.networks), String(stack.volumes), owner];
}
