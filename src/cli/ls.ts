import { listStacks, staleStacks, UsageError, type StackSummary } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import type { CommandContext } from './global-options.js';
import { formatTable } from './table.js';

export const LS_OPTIONS: OptionSpec[] = [
  { name: 'stale', description: 'Only stacks whose owner process is gone (brought up by the library with isolate: true)' },
  { name: 'format', value: true, placeholder: 'table|json', description: 'Output format (default: table)' },
  { name: 'quiet', short: 'q', description: 'Only print project names' },
];

/** `ls`: the compose projects on the engine, with the process owning each where it has one. */
export async function lsCommand({ options, stdout }: CommandContext): Promise<number> {
  const format = (options.format as string | undefined) ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`unknown format "${format}"`, { hint: 'use --format table or --format json' });
  const stacks = options.stale ? await staleStacks() : await listStacks();
  if (options.quiet) stdout.write(stacks.map((stack) => stack.project + '\n').join(''));
  else if (format === 'json') stdout.write(JSON.stringify(stacks, null, 2) + '\n');
  else stdout.write(formatTable(['NAME', 'CONTAINERS', 'NETWORKS', 'VOLUMES', 'OWNER'], stacks.map(row)) + '\n');
  return 0;
}

function row(stack: StackSummary): string[] {
  const owner = stack.owner ? `pid ${stack.owner.pid}${stack.owner.host ? ` on ${stack.owner.host}` : ''} (${stack.owner.state})` : '-';
  return [stack.project, String(stack.containers), String(stack.networks), String(stack.volumes), owner];
}
