import { UsageError, VERSION } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import type { CommandContext } from './global-options.js';

export const VERSION_OPTIONS: OptionSpec[] = [
  { name: 'short', description: 'Only the version number' },
  { name: 'format', short: 'f', value: true, placeholder: 'pretty|json', description: 'pretty (default) or json: {"version":"…"}' },
];

/** `version`, as `docker compose version` answers it: `--short` for the number alone, `--format json` for an object. */
export function versionCommand({ options, stdout }: CommandContext): number {
  const format = (options.format as string | undefined) ?? 'pretty';
  if (format !== 'pretty' && format !== 'json') throw new UsageError(`unknown format "${format}"`, { hint: 'use --format pretty or --format json' });
  if (options.short) stdout.write(`${VERSION}\n`);
  else if (format === 'json') stdout.write(JSON.stringify({ version: VERSION }) + '\n');
  else stdout.write(`tscompose version ${VERSION}\n`);
  return 0;
}
