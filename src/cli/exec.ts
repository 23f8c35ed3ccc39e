import { exec, UsageError, type AttachedIo } from '../usecases/index.js';
import type { OptionSpec, ParsedOptions } from './args.js';
import { loadOptionsFrom, type CommandContext } from './global-options.js';

export const EXEC_OPTIONS: OptionSpec[] = [
  { name: 'detach', short: 'd', description: 'Run the command in the background' },
  { name: 'no-TTY', short: 'T', description: 'No pseudo-terminal, even when stdin and stdout are terminals (output stays apart: stdout and stderr)' },
  { name: 'env', short: 'e', value: true, repeat: true, placeholder: 'KEY=VALUE', description: 'Set a variable (repeatable)' },
  { name: 'user', short: 'u', value: true, placeholder: 'USER', description: 'Run as this user (name or uid[:gid])' },
  { name: 'workdir', short: 'w', value: true, placeholder: 'DIR', description: 'Working directory of the command' },
  { name: 'index', value: true, placeholder: 'N', description: 'Replica of the service (default 1)' },
  { name: 'privileged', description: 'Give extended privileges to the command' },
];

/** `-e KEY=VALUE` (or `-e KEY`, taken from this environment, as docker does). */
export function variablesOf(values: string[] | undefined): Record<string, string> | undefined {
  if (!values) return undefined;
  return Object.fromEntries(
    values.map((entry) => {
      const at = entry.indexOf('=');
      return at < 0 ? [entry, process.env[entry] ?? ''] : [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
}

/** `--index N`: a replica number from 1. */
export function indexOf(options: ParsedOptions): number | undefined {
  if (options.index === undefined) return undefined;
  const index = Number(options.index);
  if (!(Number.isInteger(index) && index >= 1)) throw new UsageError(`--index takes a replica number from 1, not "${String(options.index)}"`);
  return index;
}

/**
 * The process's own terminal wired to a command: a tty when stdin and stdout are terminals
 * (unless -T), stdin passed through in raw mode then, and the terminal's size followed.
 */
export function terminalIo(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, noTty: boolean): { io: AttachedIo; restore(): void } {
  const stdin = process.stdin;
  const output = stdout as NodeJS.WriteStream;
  const tty = !noTty && stdin.isTTY === true && output.isTTY === true;
  const io: AttachedIo = {
    stdin,
    stdout,
    stderr,
    tty,
    size: () => (output.rows && output.columns ? { rows: output.rows, columns: output.columns } : undefined),
    onResize: (listener) => {
      output.on('resize', listener);
      return () => output.off('resize', listener);
    },
    // Raw only once attached: until then Ctrl-C interrupts tscompose (run's dependencies starting).
    onAttached: () => {
      if (tty) stdin.setRawMode(true);
    },
  };
  return {
    io,
    restore: () => {
      if (tty) stdin.setRawMode(false);
      // Nothing more is read: an open stdin must not keep the process alive.
      stdin.pause();
    },
  };
}

/** `exec SERVICE COMMAND...`: runs in the service's running container; its exit code is ours. */
export async function execCommand({ global, options, positionals, stdout, stderr }: CommandContext): Promise<number> {
  const [service, ...command] = positionals;
  if (!service || command.length === 0) throw new UsageError('exec needs a service and a command', { hint: 'tscompose exec SERVICE COMMAND [ARGS...]' });
  const settings = {
    ...loadOptionsFrom(global),
    service,
    command,
    index: indexOf(options),
    user: options.user as string | undefined,
    workdir: options.workdir as string | undefined,
    env: variablesOf(options.env as string[] | undefined),
    privileged: Boolean(options.privileged),
  };
  if (options.detach) return (await exec({ ...settings, detach: true })).exitCode;
  const terminal = terminalIo(stdout, stderr, Boolean(options['no-TTY']));
  try {
    return (await exec({ ...settings, io: terminal.io })).exitCode;
  } finally {
    terminal.restore();
  }
}
