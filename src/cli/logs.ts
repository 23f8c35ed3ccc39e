import { once } from 'node:events';
import { colors } from './colors.js';
import { logs, UsageError, type ContainerLog, type LogLine } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';
import { onInterrupt } from './interrupts.js';

export const LOGS_OPTIONS: OptionSpec[] = [
  { name: 'follow', short: 'f', description: 'Keep printing new lines until the containers stop (or Ctrl-C)' },
  { name: 'tail', short: 'n', value: true, placeholder: 'N|all', description: 'Only the last N lines of each container (default: all)' },
  { name: 'timestamps', short: 't', description: 'Show when each line was written' },
  { name: 'since', value: true, placeholder: 'TIME', description: 'Only lines since a time (2013-01-02T13:23:37Z, or relative: 42m)' },
  { name: 'until', value: true, placeholder: 'TIME', description: 'Only lines before a time (2013-01-02T13:23:37Z, or relative: 42m)' },
  { name: 'no-log-prefix', description: "Don't prefix each line with its container's name" },
  { name: 'no-color', description: 'Print the prefixes without colors' },
  { name: 'index', value: true, placeholder: 'N', description: 'Only this replica of the services' },
];

/** One color per container, in turn; red is left out, it means errors. */
const PALETTE = ['cyan', 'yellow', 'green', 'magenta', 'blue', 'cyanBright', 'yellowBright', 'greenBright', 'magentaBright', 'blueBright'] as const;

/** How each line is introduced. */
export interface LogLook {
  /** `name | ` before each line (compose's default; --no-log-prefix turns it off). */
  prefix: boolean;
  color: boolean;
}

/** `logs`: every container's output, stdout and stderr, each line prefixed with its container's label. */
export async function logsCommand({ global, options, positionals, stdout, stderr }: CommandContext): Promise<number> {
  const now = Date.now();
  const tail = parseTail(options.tail as string | undefined);
  const since = options.since === undefined ? undefined : parseLogTime('--since', options.since as string, now);
  const until = options.until === undefined ? undefined : parseLogTime('--until', options.until as string, now);
  const index = options.index === undefined ? undefined : Number(options.index);
  if (index !== undefined && !(Number.isInteger(index) && index >= 1)) throw new UsageError(`--index takes a replica number from 1, not "${String(options.index)}"`);
  const follow = Boolean(options.follow);
  const result = await logs({
    ...loadOptionsFrom(global),
    services: positionals,
    follow,
    tail,
    timestamps: Boolean(options.timestamps),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    ...(index === undefined ? {} : { index }),
  });
  for (const warning of result.warnings) warn({ global, stderr }, warning);
  // Ctrl-C (or SIGTERM) ends a follow cleanly: the requests are closed and logs exits 0.
  const stop = new AbortController();
  const interrupts = follow ? onInterrupt(() => stop.abort()) : undefined;
  try {
    await printContainerLogs(result.logs, stdout, { prefix: !options['no-log-prefix'], color: !options['no-color'] }, { signal: stop.signal });
  } finally {
    interrupts?.dispose();
  }
  return 0;
}

/**
 * Prints the containers' output as compose does: each line prefixed with its container's label
 * (`web-1  | `, padded one past the longest) in its own color, until every stream ends, or
 * `signal` aborts (which closes them). With `onEnd`, what it returns for a container (by name)
 * whose stream has ended is printed after its last line (up's `web-1 exited with code 0`).
 */
export async function printContainerLogs(
  logs: readonly ContainerLog[],
  stdout: NodeJS.WritableStream,
  look: LogLook,
  { signal, onEnd }: { signal?: AbortSignal; onEnd?: (container: string) => Promise<string | undefined> } = {},
): Promise<void> {
  const width = Math.max(0, ...logs.map((log) => log.label.length)) + 1;
  const close = () => {
    for (const log of logs) log.lines.destroy();
  };
  signal?.addEventListener('abort', close, { once: true });
  try {
    await Promise.all(
      logs.map(async (log, index) => {
        const paint = look.color ? colors()[PALETTE[index % PALETTE.length]!] : (text: string) => text;
        const prefix = look.prefix ? paint(`${log.label.padEnd(width)} | `) : '';
        try {
          await printLines(log.lines, prefix, stdout);
        } catch (error) {
          if (!signal?.aborted) throw error;
        }
        const status = signal?.aborted ? undefined : await onEnd?.(log.name);
        if (status) stdout.write(paint(`${log.label} ${status}`) + '\n');
      }),
    );
  } finally {
    signal?.removeEventListener('abort', close);
    close();
  }
}

async function printLines(lines: ContainerLog['lines'], prefix: string, stdout: NodeJS.WritableStream): Promise<void> {
  for await (const line of lines as AsyncIterable<LogLine>) {
    if (!stdout.write(`${prefix}${line.text}\n`)) await once(stdout, 'drain');
  }
}

function parseTail(text: string | undefined): number | 'all' {
  if (text === undefined || text === 'all') return 'all';
  if (!/^\d+$/.test(text)) throw new UsageError(`--tail takes a number of lines or "all", not "${text}"`);
  return Number(text);
}

/** Go duration units, in milliseconds. */
const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A --since or --until value as the docker CLI reads it, in Unix seconds: Unix seconds as they
 * are (`1700000000`, `1700000000.5`), a duration before now (`42m`, `1h30m`, Go's syntax), or a
 * date and time (`2013-01-02T13:23:37Z`, `2013-01-02`; without a zone, local time).
 */
export function parseLogTime(option: string, text: string, now: number): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^(\d+(\.\d+)?(ns|us|\u00b5s|ms|s|m|h))+$/.test(text)) {
    let milliseconds = 0;
    for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|\u00b5s|ms|s|m|h)/g)) milliseconds += Number(amount) * DURATION_UNITS[unit!]!;
    return (now - milliseconds) / 1000;
  }
  // A date alone is midnight local time for docker; JavaScript would read it as UTC.
  const parsed = Date.parse(/^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00:00` : text);
  if (Number.isNaN(parsed)) throw new UsageError(`${option} takes a time, not "${text}"`, { hint: 'a date and time (2013-01-02T13:23:37Z), Unix seconds, or a duration before now (42m, 1h30m)' });
  return parsed / 1000;
}
