import { colors } from './colors.js';
import { envFlag, UsageError } from '../usecases/index.js';
import type { ParsedOptions } from './args.js';

/**
 * The environment variables of docker compose that shape the CLI's output, read as compose reads
 * them: an option on the command line wins over its variable.
 */

const ANSI_MODES = ['auto', 'never', 'always'];

/** The global options with the defaults COMPOSE_PROGRESS and COMPOSE_ANSI give. */
export function withEnvironmentDefaults(global: ParsedOptions, environment: NodeJS.ProcessEnv): ParsedOptions {
  const merged = { ...global };
  if (merged.progress === undefined && environment.COMPOSE_PROGRESS) merged.progress = environment.COMPOSE_PROGRESS;
  if (merged.ansi === undefined && environment.COMPOSE_ANSI) merged.ansi = environment.COMPOSE_ANSI;
  const ansi = (merged.ansi as string | undefined) ?? 'auto';
  if (!ANSI_MODES.includes(ansi)) throw new UsageError(`unknown --ansi mode "${ansi}"`, { hint: `use one of ${ANSI_MODES.join(', ')} (also COMPOSE_ANSI)` });
  if (ansi === 'never' && merged.progress === 'tty') throw new UsageError("can't use --progress tty while ANSI support is disabled", { hint: 'leave out --ansi never (or COMPOSE_ANSI=never)' });
  if (ansi === 'always' && merged.progress === 'plain') throw new UsageError("can't use --progress plain while ANSI support is forced", { hint: 'leave out --ansi always (or COMPOSE_ANSI=always)' });
  return merged;
}

/**
 * Colors as --ansi (COMPOSE_ANSI) and NO_COLOR say: `never` or a non-empty NO_COLOR turns them off
 * even on a terminal, `always` turns them on where no terminal is; `auto` leaves chalk's own
 * detection (a terminal, FORCE_COLOR).
 */
export function applyColorMode(global: ParsedOptions, environment: NodeJS.ProcessEnv): void {
  const ansi = (global.ansi as string | undefined) ?? 'auto';
  if (ansi === 'never' || environment.NO_COLOR) colors().level = 0;
  else if (ansi === 'always' && colors().level === 0) colors().level = 1;
}

/** Where progress and status lines go: stderr, as compose does, or stdout with COMPOSE_STATUS_STDOUT. */
export function statusStream(environment: NodeJS.ProcessEnv, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): NodeJS.WritableStream {
  return envFlag(environment.COMPOSE_STATUS_STDOUT) ? stdout : stderr;
}
