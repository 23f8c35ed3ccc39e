import { down, downPlan, downStale, envFlag, UsageError, type DownOptions } from '../usecases/index.js';
import type { OptionSpec, ParsedOptions } from './args.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';
import { planFormatOf, printPlan } from './plan-view.js';
import { progressRenderer } from './progress-option.js';

export const DOWN_OPTIONS: OptionSpec[] = [
  { name: 'volumes', short: 'v', description: "Also remove the project's named volumes and the containers' anonymous ones" },
  { name: 'remove-orphans', description: 'Also remove containers of services not in the compose file' },
  { name: 'rmi', value: true, placeholder: 'local|all', description: "Also remove the services' images: local (built without an image: name) or all" },
  { name: 'timeout', short: 't', value: true, placeholder: 'SECONDS', description: "Seconds to wait for a container to stop before killing it (default: its stop_grace_period)" },
  { name: 'dry-run', description: 'Print what down would remove; change nothing' },
  { name: 'format', value: true, placeholder: 'table|json', description: 'With --dry-run: output format (default: table)' },
  { name: 'stale', description: 'Instead of this project: every stack whose owner process is gone (see ls --stale), with its volumes, containers killed' },
];

export function downOptionsFrom(options: ParsedOptions): DownOptions {
  const timeout = options.timeout === undefined ? undefined : Number(options.timeout);
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 0)) throw new UsageError(`--timeout takes whole seconds, not "${String(options.timeout)}"`);
  const rmi = options.rmi as string | undefined;
  if (rmi !== undefined && rmi !== 'local' && rmi !== 'all') throw new UsageError(`--rmi takes local or all, not "${rmi}"`);
  return {
    removeVolumes: Boolean(options.volumes),
    // As with compose, COMPOSE_REMOVE_ORPHANS is the default of --remove-orphans.
    removeOrphans: Boolean(options['remove-orphans']) || envFlag(process.env.COMPOSE_REMOVE_ORPHANS),
    ...(rmi ? { removeImages: rmi } : {}),
    ...(timeout === undefined ? {} : { timeout }),
  };
}

/** `down --dry-run` and `plan --down`: the plan `down` would run, as a table or JSON. */
export async function downPlanCommand({ global, options, stdout, stderr }: CommandContext): Promise<number> {
  const format = planFormatOf(options);
  const { plan } = await downPlan({ ...loadOptionsFrom(global), ...downOptionsFrom(options) });
  for (const warning of plan.warnings) warn({ global, stderr }, { message: warning });
  await printPlan(plan, format, stdout);
  return 0;
}

/** `down`: stops and removes the project's containers, then its networks (and with -v volumes). */
export async function downCommand(context: CommandContext): Promise<number> {
  const { global, options, stderr, status } = context;
  if (options['dry-run']) return downPlanCommand(context);
  const renderer = await progressRenderer(global, status);
  try {
    if (options.stale) {
      const removed = await downStale({ onProgress: (event) => renderer.event(event) });
      renderer.close();
      status.write(removed.length === 0 ? 'no stale stacks\n' : removed.map(({ project }) => `removed stale stack ${project}\n`).join(''));
      return 0;
    }
    const planned = await down({
      ...loadOptionsFrom(global),
      ...downOptionsFrom(options),
      onProgress: (event) => renderer.event(event),
    });
    renderer.close();
    for (const warning of planned.warnings) warn({ global, stderr }, { message: warning });
    return 0;
  } finally {
    renderer.close();
  }
}
