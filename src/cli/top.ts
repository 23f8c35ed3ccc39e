import { top } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext } from './global-options.js';
import { formatTable } from './table.js';

export const TOP_OPTIONS: OptionSpec[] = [];

/** `top [SERVICE...]`: each running container's name, then its processes. */
export async function topCommand({ global, positionals, stdout }: CommandContext): Promise<number> {
  const listed = await top({ ...loadOptionsFrom(global), services: positionals });
  stdout.write(listed.map(({ container, titles, processes }) => `${container}\n${formatTable(titles, processes)}\n`).join('\n'));
  return 0;
}
