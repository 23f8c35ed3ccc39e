import type { OptionSpec } from './args.js';
import type { CommandContext } from './global-options.js';
import { PLAN_OPTIONS } from './plan.js';
import { upCommand } from './up.js';

export const CREATE_OPTIONS: OptionSpec[] = [
  ...PLAN_OPTIONS.filter((option) => !['no-start', 'timeout', 'format'].includes(option.name)),
  { name: 'dry-run', description: 'Print the plan; change nothing' },
  { name: 'format', value: true, placeholder: 'table|json', description: 'With --dry-run: output format (default: table)' },
];

/** `create`: `up --no-start`, planned by the same function (so its dry run is `up --no-start --dry-run`'s). */
export function createCommand(context: CommandContext): Promise<number> {
  return upCommand({ ...context, options: { ...context.options, 'no-start': true, detach: true } });
}
