import { createRenderer, UsageError, type ProgressMode, type ProgressRenderer } from '../usecases/index.js';
import type { ParsedOptions } from './args.js';

const MODES: ProgressMode[] = ['auto', 'tty', 'plain', 'json', 'quiet'];

/** The progress display --progress asks for, on stderr as compose shows it. */
export async function progressRenderer(global: ParsedOptions, stderr: NodeJS.WritableStream): Promise<ProgressRenderer> {
  const mode = ((global.progress as string | undefined) ?? 'auto') as ProgressMode;
  if (!MODES.includes(mode)) throw new UsageError(`unknown progress mode "${mode}"`, { hint: `use one of ${MODES.join(', ')}` });
  return createRenderer(mode, stderr);
}
