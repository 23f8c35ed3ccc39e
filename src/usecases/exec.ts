import { execAttached, execDetached, execInContainer, type AttachedIo, type ExecResult } from '../engine/container-exec.js';
import type { ComposeProject, LoadOptions } from '../loader/index.js';
import { runningContainer } from './service-container.js';
import { connectOrReuse, type EngineOptions } from './session.js';
import { loadProjectOrName, requireServices } from './target.js';

export interface ExecRunOptions extends LoadOptions, Pick<EngineOptions, 'connection'> {
  /** A project already loaded (library use). */
  project?: ComposeProject;
  service: string;
  command: readonly string[];
  /** Replica number, from 1 (`--index`, default 1). */
  index?: number;
  /** `-u`: a name or uid[:gid]. */
  user?: string;
  /** `-w`: the command's working directory (`workingDir` is where the compose file is looked for). */
  workdir?: string;
  /** `-e`: variables added to the container's environment. */
  env?: Readonly<Record<string, string>>;
  privileged?: boolean;
  /** `-d`: start the command and return, without its output or exit code. */
  detach?: boolean;
  /** Wire the command to these streams (the CLI does, with a tty on a terminal); otherwise its output is collected and returned. */
  io?: AttachedIo;
  /** With collected output: stop waiting for the command. */
  signal?: AbortSignal;
}

/**
 * `exec`: runs a command in a service's running container (found by the project's labels), as
 * `docker compose exec` does. Returns its exit code, and its output when no streams were given.
 * A stopped service is a ServiceNotRunningError; a service the project lacks, NoSuchServiceError.
 */
export async function exec(options: ExecRunOptions): Promise<ExecResult> {
  const target = loadProjectOrName(options);
  if (target.project) requireServices(target.project, [options.service]);
  const connection = await connectOrReuse(options);
  const { name } = await runningContainer(connection, target.name, options.service, options.index);
  const settings = { user: options.user, workingDir: options.workdir, env: options.env, privileged: options.privileged };
  if (options.detach) {
    await execDetached(connection, name, options.command, settings);
    return { exitCode: 0, stdout: '', stderr: '' };
  }
  if (options.io) return { exitCode: await execAttached(connection, name, options.command, options.io, settings), stdout: '', stderr: '' };
  return execInContainer(connection, name, options.command, { ...settings, ...(options.signal ? { signal: options.signal } : {}) });
}
