import { down, envFlag, UsageError } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';
import { progressRenderer } from './progress-option.js';

export const DOWN_OPTIONS: OptionSpec[] = [
  { name: 'volumes', short: 'v', description: "Also remove the project's named volumes" },
  { name: 'remove-orphans', description: 'Also remove containers of services not in the compose file' },
  { name: 'rmi', value: true, placeholder: 'local|all', description: "Also remove the services' images: local (built without an image: name) or all" },
  { name: 'timeout', short: 't', value: true, placeholder: 'SECONDS', description: "Seconds to wait for a container to stop before killing it (default: its stop_grace_period)" },
];

/** `down`: stops and removes the project's containers, then its networks (and with -v volumes). */
export async function downCommand({ global, options, stderr, status }: CommandContext): Promise<number> {
  const timeout = options.timeout === undefined ? undefined : Number(options.timeout);
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 0)) throw new UsageError(`--timeout takes whole seconds, not "${String(options.timeout)}"`);
  const rmi = options.rmi as string | undefined;
  if (rmi !== undefined && rmi !== 'local' && rmi !== 'all') throw new UsageError(`--rmi takes local or all, not "${rmi}"`);
  const renderer = await progressRenderer(global, status);
  try {
    const planned = await down({
      ...loadOptionsFrom(global),
      removeVolumes: Boolean(options.volumes),
      // As with compose, COMPOSE_REMOVE_ORPHANS is the default of --remove-orphans.
      removeOrphans: Boolean(options['remove-orphans']) || envFlag(process.env.COMPOSE_REMOVE_ORPHANS),
      ...(rmi ? { removeImages: rmi } : {}),
      ...(timeout === undefined ? {} : { timeout }),
      onProgress: (event) => renderer.event(event),
    });
    renderer.close();
    for (const warning of planned.warnings) warn({ global, stderr }, { message: warning });
    return 0;
  } finally {
    renderer.close();
  }
}
