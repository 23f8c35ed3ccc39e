import { planLifecycleCommand, runLifecycle, UsageError, type LifecycleCommand, type LifecycleOptions } from '../usecases/index.js';
import type { OptionSpec, ParsedOptions } from './args.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';
import { planFormatOf, printPlan } from './plan-view.js';
import { progressRenderer } from './progress-option.js';

const DRY_RUN: OptionSpec[] = [
  { name: 'dry-run', description: 'Print the plan: the Engine API calls it would make; change nothing' },
  { name: 'format', value: true, placeholder: 'table|json', description: 'With --dry-run: output format (default: table)' },
];

const TIMEOUT: OptionSpec = { name: 'timeout', short: 't', value: true, placeholder: 'SECONDS', description: "Seconds to wait for a container to stop before killing it (default: its stop_grace_period)" };

export const LIFECYCLE_OPTIONS: Record<LifecycleCommand, OptionSpec[]> = {
  start: [...DRY_RUN],
  stop: [TIMEOUT, ...DRY_RUN],
  restart: [TIMEOUT, { name: 'no-deps', description: "Don't restart the services that depend on the named ones" }, ...DRY_RUN],
  kill: [{ name: 'signal', short: 's', value: true, placeholder: 'SIGNAL', description: 'Signal to send (default: SIGKILL)' }, ...DRY_RUN],
  pause: [...DRY_RUN],
  unpause: [...DRY_RUN],
  rm: [
    { name: 'force', short: 'f', description: "Don't ask to confirm the removal" },
    { name: 'stop', short: 's', description: 'Stop the running containers first (otherwise only stopped ones are removed)' },
    { name: 'volumes', short: 'v', description: 'Remove the anonymous volumes attached to the containers' },
    TIMEOUT,
    ...DRY_RUN,
  ],
};

/** Whole seconds of a `-t` option, or undefined. */
export function timeoutOf(options: ParsedOptions): number | undefined {
  if (options.timeout === undefined) return undefined;
  const timeout = Number(options.timeout);
  if (!(Number.isInteger(timeout) && timeout >= 0)) throw new UsageError(`--timeout takes whole seconds, not "${String(options.timeout)}"`);
  return timeout;
}

function lifecycleOptionsFrom(options: ParsedOptions, positionals: string[]): LifecycleOptions {
  const timeout = timeoutOf(options);
  const signal = options.signal as string | undefined;
  return {
    services: positionals,
    ...(timeout === undefined ? {} : { timeout }),
    ...(signal ? { killSignal: /^\d+$/.test(signal) || signal.startsWith('SIG') ? signal : `SIG${signal.toUpperCase()}` } : {}),
    ...(options['no-deps'] ? { noDeps: true } : {}),
    ...(options.stop ? { stop: true } : {}),
    ...(options.volumes ? { removeVolumes: true } : {}),
  };
}

/** The command that runs one lifecycle command: its dry run prints the plan, its real run runs it with progress. */
export function lifecycleCommand(command: LifecycleCommand) {
  return async ({ global, options, positionals, stdout, stderr, status }: CommandContext): Promise<number> => {
    const runOptions = { ...loadOptionsFrom(global), ...lifecycleOptionsFrom(options, positionals) };
    if (options['dry-run']) {
      const format = planFormatOf(options);
      const { plan, warnings } = await planLifecycleCommand(command, runOptions);
      for (const warning of warnings) warn({ global, stderr }, warning);
      await printPlan(plan, format, stdout);
      return 0;
    }
    const renderer = await progressRenderer(global, status);
    try {
      await runLifecycle(command, { ...runOptions, onProgress: (event) => renderer.event(event), ...(command === 'rm' ? { confirm: (plan) => confirmRemoval(plan.removals.map((removal) => removal.name), Boolean(options.force), stderr) } : {}) });
      return 0;
    } finally {
      renderer.close();
    }
  };
}

/** As compose asks before `rm` without -f; with no terminal to ask on, it goes ahead. */
async function confirmRemoval(names: string[], force: boolean, stderr: NodeJS.WritableStream): Promise<boolean> {
  if (names.length === 0) {
    stderr.write('No stopped containers\n');
    return false;
  }
  if (force) return true;
  stderr.write(`Going to remove ${names.join(', ')}\n`);
  if (!process.stdin.isTTY) return true;
  const prompt = process.getBuiltinModule('node:readline/promises').createInterface({ input: process.stdin, output: stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question('Are you sure? [y/N] ')).trim());
  } finally {
    prompt.close();
  }
}
