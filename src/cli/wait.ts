import { UsageError, waitForExit } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext } from './global-options.js';

export const WAIT_OPTIONS: OptionSpec[] = [{ name: 'down-project', description: 'Take the project down once the first container has exited' }];

/** `wait SERVICE...`: until the first of their containers stops; its exit code is ours. */
export async function waitCommand({ global, options, positionals, stdout }: CommandContext): Promise<number> {
  if (positionals.length === 0) throw new UsageError('wait needs at least one service', { hint: 'tscompose wait [--down-project] SERVICE...' });
  const { exitCode } = await waitForExit({ ...loadOptionsFrom(global), services: positionals, downProject: Boolean(options['down-project']) });
  stdout.write(`${exitCode}\n`);
  return exitCode;
}
