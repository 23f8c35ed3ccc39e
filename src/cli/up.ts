import { UsageError } from '../errors.js';
import { up } from '../executor/up.js';
import { progressOf } from '../progress/events.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext } from './global-options.js';
import { PLAN_OPTIONS, planCommand, planOptionsFrom } from './plan.js';
import { progressRenderer } from './progress-option.js';
import { formatWarning } from './report.js';
import { waitUntilReady } from '../executor/wait.js';

export const UP_OPTIONS: OptionSpec[] = [
  { name: 'detach', short: 'd', description: 'Return when started (without it, logs are followed until Ctrl-C, which stops the containers)' },
  { name: 'dry-run', description: 'Print the plan; change nothing' },
  { name: 'wait', description: 'Return when every container is running, and healthy where it has a healthcheck (implies -d)' },
  { name: 'wait-timeout', value: true, placeholder: 'SECONDS', description: 'How long --wait waits (default: no limit)' },
  ...PLAN_OPTIONS.filter((option) => option.name !== 'format'),
  { name: 'format', value: true, placeholder: 'table|json', description: 'With --dry-run: output format' },
];

/** `up`: creates and starts the project; `--dry-run` prints the plan instead. */
export async function upCommand(context: CommandContext): Promise<number> {
  const { global, options, positionals, stderr } = context;
  if (options['dry-run']) return planCommand(context);
  const waitTimeout = options['wait-timeout'] === undefined ? undefined : Number(options['wait-timeout']);
  if (waitTimeout !== undefined && !(waitTimeout > 0)) throw new UsageError(`--wait-timeout takes seconds, not "${String(options['wait-timeout'])}"`);
  const renderer = await progressRenderer(global, stderr);
  try {
    const result = await up({ ...loadOptionsFrom(global), ...planOptionsFrom(options, positionals), onEvent: (event) => renderer.event(progressOf(event)) });
    for (const warning of result.warnings) stderr.write(formatWarning(warning) + '\n');
    for (const warning of result.plan.warnings) stderr.write(formatWarning({ message: warning }) + '\n');
    if (options.wait && !options['no-start']) {
      await waitUntilReady(result.plan, { connection: result.connection, timeoutSeconds: waitTimeout, onEvent: (event) => renderer.event(progressOf(event)) });
    }
    if (!options.detach && !options.wait && !options['no-start']) {
      renderer.close();
      const { attachLogs } = await import('./attach.js');
      return await attachLogs(result, context);
    }
    return 0;
  } finally {
    renderer.close();
  }
}
