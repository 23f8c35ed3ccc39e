import { once } from 'node:events';
import type { Readable } from 'node:stream';
import chalk from 'chalk';
import { UsageError } from '../errors.js';
import type { EngineConnection } from '../engine/client.js';
import type { LogLine, LogOptions } from '../engine/project-containers.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';
import { loadProjectOrName, requireServices } from '../executor/project-target.js';
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
const PALETTE = [chalk.cyan, chalk.yellow, chalk.green, chalk.magenta, chalk.blue, chalk.cyanBright, chalk.yellowBright, chalk.greenBright, chalk.magentaBright, chalk.blueBright];

/** How each line is introduced. */
export interface LogLook {
  /** `name | ` before each line (compose's default; --no-log-prefix turns it off). */
  prefix: boolean;
  color: boolean;
}

/** `logs`: every container's output, stdout and stderr, each line prefixed with its container's name. */
export async function logsCommand({ global, options, positionals, stdout, stderr }: CommandContext): Promise<number> {
  const now = Date.now();
  const tail = parseTail(options.tail as string | undefined);
  const since = options.since === undefined ? undefined : parseLogTime('--since', options.since as string, now);
  const until = options.until === undefined ? undefined : parseLogTime('--until', options.until as string, now);
  const index = options.index === undefined ? undefined : Number(options.index);
  if (index !== undefined && !(Number.isInteger(index) && index >= 1)) throw new UsageError(`--index takes a replica number from 1, not "${String(options.index)}"`);
  const loadOptions = loadOptionsFrom(global);
  const target = loadProjectOrName(loadOptions);
  for (const warning of target.warnings) warn({ global, stderr }, warning);
  if (target.project) requireServices(target.project, positionals);

  const { connectEngine } = await import('../engine/client.js');
  const { listProjectContainers } = await import('../engine/project-containers.js');
  const connection = await connectEngine();
  const listed = await listProjectContainers(connection, target.name, { all: true });
  const containers = listed.filter((container) => (positionals.length === 0 || positionals.includes(container.service)) && (index === undefined || container.number === index));
  const follow = Boolean(options.follow);
  // Ctrl-C (or SIGTERM) ends a follow cleanly: the requests are closed and logs exits 0.
  const stop = new AbortController();
  const interrupts = follow ? onInterrupt(() => stop.abort()) : undefined;
  try {
    await printContainerLogs(
      connection,
      containers,
      { follow, tail, timestamps: Boolean(options.timestamps), ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) },
      stdout,
      { prefix: !options['no-log-prefix'], color: !options['no-color'] },
      { signal: stop.signal },
    );
  } finally {
    interrupts?.dispose();
  }
  return 0;
}

/**
 * Prints the containers' output, each line prefixed with its container's name in its own color,
 * until every stream ends, or `signal` aborts (which closes them). With `onEnd`, what it returns
 * for a container whose stream has ended is printed after its last line (up's
 * `demo-web-1 exited with code 0`).
 */
export async function printContainerLogs(
  connection: EngineConnection,
  containers: readonly { id: string; name: string }[],
  logOptions: LogOptions,
  stdout: NodeJS.WritableStream,
  look: LogLook,
  { signal, onEnd }: { signal?: AbortSignal; onEnd?: (container: { id: string; name: string }) => Promise<string | undefined> } = {},
): Promise<void> {
  const { containerLogs } = await import('../engine/project-containers.js');
  const width = Math.max(0, ...containers.map((container) => container.name.length));
  const streams = await Promise.all(containers.map((container) => containerLogs(connection, container.id, logOptions)));
  const close = () => {
    for (const stream of streams) stream.destroy();
  };
  signal?.addEventListener('abort', close, { once: true });
  try {
    await Promise.all(
      streams.map(async (stream, index) => {
        const container = containers[index]!;
        const paint = look.color ? PALETTE[index % PALETTE.length]! : (text: string) => text;
        const prefix = look.prefix ? paint(`${container.name.padEnd(width)} | `) : '';
        try {
          await printLines(stream, prefix, stdout);
        } catch (error) {
          if (!signal?.aborted) throw error;
        }
        const status = signal?.aborted ? undefined : await onEnd?.(container);
        if (status) stdout.write(paint(`${container.name} ${status}`) + '\n');
      }),
    );
  } finally {
    signal?.removeEventListener('abort', close);
    close();
  }
}

async function printLines(lines: Readable, prefix: string, stdout: NodeJS.WritableStream): Promise<void> {
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
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) {
    let milliseconds = 0;
    for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) milliseconds += Number(amount) * DURATION_UNITS[unit!]!;
    return (now - milliseconds) / 1000;
  }
  // A date alone is midnight local time for docker; JavaScript would read it as UTC.
  const parsed = Date.parse(/^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00:00` : text);
  if (Number.isNaN(parsed)) throw new UsageError(`${option} takes a time, not "${text}"`, { hint: 'a date and time (2013-01-02T13:23:37Z), Unix seconds, or a duration before now (42m, 1h30m)' });
  return parsed / 1000;
}
