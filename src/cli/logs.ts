import { once } from 'node:events';
import chalk from 'chalk';
import { logs, UsageError, type ContainerLog, type LogLine } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';

export const LOGS_OPTIONS: OptionSpec[] = [
  { name: 'follow', short: 'f', description: 'Keep printing new lines until the containers stop (or Ctrl-C)' },
  { name: 'tail', value: true, placeholder: 'N|all', description: 'Only the last N lines of each container (default: all)' },
  { name: 'timestamps', short: 't', description: 'Show when each line was written' },
];

/** One color per container, in turn; red is left out, it means errors. */
const PALETTE = [chalk.cyan, chalk.yellow, chalk.green, chalk.magenta, chalk.blue, chalk.cyanBright, chalk.yellowBright, chalk.greenBright, chalk.magentaBright, chalk.blueBright];

/** `logs`: every container's output, stdout and stderr, each line prefixed with its container's name. */
export async function logsCommand({ global, options, positionals, stdout, stderr }: CommandContext): Promise<number> {
  const tail = parseTail(options.tail as string | undefined);
  const result = await logs({ ...loadOptionsFrom(global), services: positionals, follow: Boolean(options.follow), tail, timestamps: Boolean(options.timestamps) });
  for (const warning of result.warnings) warn({ global, stderr }, warning);
  await printContainerLogs(result.logs, stdout);
  return 0;
}

/**
 * Prints the containers' output, each line prefixed with its container's name in its own color,
 * until every stream ends (or, following, Ctrl-C: then it resolves with `interrupted`).
 */
export async function printContainerLogs(logs: readonly ContainerLog[], stdout: NodeJS.WritableStream): Promise<{ interrupted: boolean }> {
  const width = Math.max(0, ...logs.map((log) => log.name.length));
  const streams = logs.map((log) => log.lines);

  // Ctrl-C ends a follow cleanly: the requests are closed and the caller decides what follows.
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
    for (const stream of streams) stream.destroy();
  };
  process.once('SIGINT', interrupt);
  try {
    await Promise.all(
      logs.map((log, index) => {
        const prefix = PALETTE[index % PALETTE.length]!(`${log.name.padEnd(width)} | `);
        return printLines(log.lines, prefix, stdout).catch((error: unknown) => {
          if (!interrupted) throw error;
        });
      }),
    );
  } finally {
    process.removeListener('SIGINT', interrupt);
    for (const stream of streams) stream.destroy();
  }
  return { interrupted };
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
