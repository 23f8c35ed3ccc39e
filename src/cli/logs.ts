import { once } from 'node:events';
import type { Readable } from 'node:stream';
import chalk from 'chalk';
import { UsageError } from '../errors.js';
import type { EngineConnection } from '../engine/client.js';
import type { LogLine, LogOptions } from '../engine/project-containers.js';
import { load } from '../loader/index.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';
import { requireServices } from '../executor/project-target.js';

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
  const { project, warnings } = load({ ...loadOptionsFrom(global), services: positionals });
  for (const warning of warnings) warn({ global, stderr }, warning);
  requireServices(project, positionals);

  const { connectEngine } = await import('../engine/client.js');
  const { listProjectContainers } = await import('../engine/project-containers.js');
  const connection = await connectEngine();
  const listed = await listProjectContainers(connection, project.name, { all: true });
  const containers = positionals.length > 0 ? listed.filter((container) => positionals.includes(container.service)) : listed;
  await printContainerLogs(connection, containers, { follow: Boolean(options.follow), tail, timestamps: Boolean(options.timestamps) }, stdout);
  return 0;
}

/**
 * Prints the containers' output, each line prefixed with its container's name in its own color,
 * until every stream ends (or, following, Ctrl-C: then it resolves with `interrupted`).
 */
export async function printContainerLogs(
  connection: EngineConnection,
  containers: readonly { id: string; name: string }[],
  logOptions: LogOptions,
  stdout: NodeJS.WritableStream,
): Promise<{ interrupted: boolean }> {
  const { containerLogs } = await import('../engine/project-containers.js');
  const width = Math.max(0, ...containers.map((container) => container.name.length));
  const streams = await Promise.all(containers.map((container) => containerLogs(connection, container.id, logOptions)));

  // Ctrl-C ends a follow cleanly: the requests are closed and the caller decides what follows.
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
    for (const stream of streams) stream.destroy();
  };
  process.once('SIGINT', interrupt);
  try {
    await Promise.all(
      streams.map((stream, index) => {
        const container = containers[index]!;
        const prefix = PALETTE[index % PALETTE.length]!(`${container.name.padEnd(width)} | `);
        return printLines(stream, prefix, stdout).catch((error: unknown) => {
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
