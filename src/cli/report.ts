import { relative } from 'node:path';
import { colors } from './colors.js';
import { flattenErrors, redactSecrets, TscomposeError, UsageError, type LoaderWarning, type ProgressEvent, type SourceLocation, escapeControls } from '../usecases/index.js';

/** `file:line:col` relative to the working directory, or undefined. */
function placeText(location: SourceLocation | undefined): string | undefined {
  if (!location) return undefined;
  const file = location.file === '-' ? '<stdin>' : relative(process.cwd(), location.file) || location.file;
  return `${escapeControls(file)}:${location.line}:${location.column}`;
}

function place(location: SourceLocation | undefined): string {
  const text = placeText(location);
  return text ? `${text}: ` : '';
}

/** How much of a long source line is shown around the column. */
const EXCERPT_WIDTH = 100;

/** The source line (a window of it around the column when it is long) with a caret under the column. */
function excerpt(location: SourceLocation | undefined): string {
  if (!location?.excerpt) return '';
  const gutter = `${location.line} | `;
  const pad = ' '.repeat(gutter.length - 2) + '| ';
  const line = location.excerpt;
  const start = line.length <= EXCERPT_WIDTH ? 0 : Math.max(0, Math.min(location.column - 1 - EXCERPT_WIDTH / 2, line.length - EXCERPT_WIDTH));
  const head = start > 0 ? '…' : '';
  const tail = start + EXCERPT_WIDTH < line.length ? '…' : '';
  // Escaped piece by piece so that the caret stays under the character it points at.
  const before = escapeControls(line.slice(start, Math.max(start, location.column - 1)));
  const shown = `${head}${before}${escapeControls(line.slice(Math.max(start, location.column - 1), start + EXCERPT_WIDTH))}${tail}`;
  return `\n  ${colors().dim(gutter)}${shown}\n  ${colors().dim(pad)}${' '.repeat(head.length + before.length)}${colors().red('^')}`;
}

/** One error as the user sees it: `file:line:col: message`, the line with a caret, the hint. */
export function formatError(error: unknown, verbose: boolean): string {
  return redactSecrets(formatErrorText(error, verbose));
}

function formatErrorText(error: unknown, verbose: boolean): string {
  return flattenErrors(error)
    .map((item) => {
      if (!(item instanceof TscomposeError)) {
        const message = item instanceof Error ? (verbose ? (item.stack ?? item.message) : item.message) : String(item);
        return `${colors().red('error:')} ${escapeControls(message)}`;
      }
      let text = `${colors().red('error:')} ${place(item.location)}${escapeControls(item.message)}${excerpt(item.location)}`;
      if (item.hint) text += `\n  ${colors().cyan('hint:')} ${escapeControls(item.hint)}`;
      if (verbose && item.stack) text += `\n${colors().dim(escapeControls(item.stack))}`;
      return text;
    })
    .join('\n');
}

export function formatWarning(warning: LoaderWarning): string {
  return `${colors().yellow('warning:')} ${place(warning.location)}${redactSecrets(escapeControls(warning.message))}`;
}

/** A warning as `--progress json` prints it: a `Warning` event. */
export function warningEvent(warning: LoaderWarning): ProgressEvent {
  const location = placeText(warning.location);
  return { time: new Date().toISOString(), resource: '', kind: 'Warning', status: 'info', text: redactSecrets(escapeControls(warning.message)), ...(location ? { location } : {}) };
}

/** The error a command ends with as `--progress json` prints it: one `Error` event per error (several for a file with several problems). */
export function errorEvents(error: unknown): ProgressEvent[] {
  return flattenErrors(error).map((item) => {
    const location = item instanceof TscomposeError ? placeText(item.location) : undefined;
    const hint = item instanceof TscomposeError ? item.hint : undefined;
    const containers = (item as { containers?: ProgressEvent['containers'] }).containers;
    return {
      time: new Date().toISOString(),
      resource: '',
      kind: 'Error',
      status: 'error',
      text: 'Error',
      error: redactSecrets(escapeControls(item instanceof Error ? item.message : String(item))),
      ...(location ? { location } : {}),
      ...(hint ? { hint: redactSecrets(escapeControls(hint)) } : {}),
      ...(containers ? { containers: JSON.parse(redactSecrets(JSON.stringify(containers))) } : {}),
    };
  });
}

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export function exitCodeFor(error: unknown): number {
  return error instanceof UsageError ? EXIT.usage : EXIT.failure;
}
