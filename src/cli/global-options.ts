import type { LoadOptions, LoaderWarning } from '../usecases/index.js';
import { formatWarning, warningEvent } from './report.js';
import type { OptionSpec, ParsedOptions } from './args.js';

export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: 'file', short: 'f', value: true, repeat: true, placeholder: 'FILE', description: 'Compose file (repeatable, merged in order; "-" reads stdin)' },
  { name: 'project-name', short: 'p', value: true, placeholder: 'NAME', description: 'Project name' },
  { name: 'project-directory', value: true, placeholder: 'DIR', description: 'Project directory (default: the first compose file\'s directory)' },
  { name: 'env-file', value: true, repeat: true, placeholder: 'FILE', description: 'Env file for interpolation (repeatable; replaces .env)' },
  { name: 'profile', value: true, repeat: true, placeholder: 'NAME', description: 'Enable a profile (repeatable)' },
  { name: 'progress', value: true, placeholder: 'auto|tty|plain|json|quiet', description: 'How progress is shown (default auto: spinners on a terminal, plain lines elsewhere; also COMPOSE_PROGRESS)' },
  { name: 'ansi', value: true, placeholder: 'never|always|auto', description: 'When to print colors and ANSI control characters (default auto; also COMPOSE_ANSI)' },
  { name: 'dry-run', description: "Show what the command would do, changing nothing: the plan of up, down, create, run, start, stop, restart, kill, pause, unpause, rm" },
  { name: 'verbose', description: 'Show stack traces with errors' },
  { name: 'help', short: 'h', description: 'Show help' },
  { name: 'version', short: 'v', description: 'Show the version' },
];

export interface CommandContext {
  /** Global options, parsed. */
  global: ParsedOptions;
  /** This command's options and arguments, parsed. */
  options: ParsedOptions;
  positionals: string[];
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Where progress goes: stderr, or stdout with COMPOSE_STATUS_STDOUT. */
  status: NodeJS.WritableStream;
}

/** Whether --progress json asks for every diagnostic as a JSON line too. */
export function jsonDiagnostics(global: ParsedOptions): boolean {
  return global.progress === 'json';
}

/** A warning on stderr: a line for people, or with --progress json a `Warning` event. */
export function warn({ global, stderr }: Pick<CommandContext, 'global' | 'stderr'>, warning: LoaderWarning): void {
  stderr.write((jsonDiagnostics(global) ? JSON.stringify(warningEvent(warning)) : formatWarning(warning)) + '\n');
}

/** The loader's options from the global command-line options. */
export function loadOptionsFrom(global: ParsedOptions): LoadOptions {
  return {
    files: global.file as string[] | undefined,
    projectName: global['project-name'] as string | undefined,
    projectDirectory: global['project-directory'] as string | undefined,
    envFiles: global['env-file'] as string[] | undefined,
    profiles: global.profile as string[] | undefined,
  };
}
