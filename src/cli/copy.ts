import { copy, UsageError } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import { indexOf } from './exec.js';
import { loadOptionsFrom, type CommandContext } from './global-options.js';

export const CP_OPTIONS: OptionSpec[] = [{ name: 'index', value: true, placeholder: 'N', description: 'Replica of the service (default 1)' }];

/** `cp SRC DST`: between a service's container (`SERVICE:PATH`) and this machine. */
export async function copyCommand({ global, options, positionals }: CommandContext): Promise<number> {
  const [source, destination, ...extra] = positionals;
  if (!source || !destination || extra.length > 0) throw new UsageError('cp takes a source and a destination', { hint: 'tscompose cp [--index N] SERVICE:SRC_PATH DEST_PATH, or SRC_PATH SERVICE:DEST_PATH' });
  await copy({ ...loadOptionsFrom(global), source, destination, index: indexOf(options) });
  return 0;
}
