import { createRenderer, UsageError, type ProgressMode, type ProgressRenderer } from '../usecases/index.js';
import type { ParsedOptions } from './args.js';

const MODES: ProgressMode[] = ['auto', 'tty', 'plain', 'json', 'quiet'];

/** The progress display --progress (or COMPOSE_PROGRESS) asks for, on stderr as compose shows it (stdout with COMPOSE_STATUS_STDOUT). */
export async function progressRenderer(global: ParsedOptions, out: NodeJS.WritableStream): Promise<ProgressRenderer> {
  const given = (global.progress as string | undefined) ?? 'auto';
  // compose's other name for quiet.
  const mode = (given === 'none' ? 'quiet' : given) as ProgressMode;
  if (!MODES.includes(mode)) throw new UsageError(`unknown progress mode "${mode}"`, { hint: `use one of ${MODES.join(', ')}, none (also COMPOSE_PROGRESS)` });
  // Without ANSI codes there can be no spinner: auto is plain lines then, as with compose.
  return createRenderer(mode === 'auto' && global.ansi === 'never' ? 'plain' : mode, out);
}
