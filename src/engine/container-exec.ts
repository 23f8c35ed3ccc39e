import type { EngineConnection } from './client.js';
import { collectOutput } from './stream-frames.js';

/** How a command runs in a container (`docker exec` flags). */
export interface ExecOptions {
  /** `--user`: a name or uid[:gid]; default: the container's user. */
  user?: string;
  /** `--workdir`; default: the container's. */
  workingDir?: string;
  /** Variables added to the container's environment. */
  env?: Readonly<Record<string, string>>;
  /** Stops waiting for the command: the request ends, the engine has no way to end the process itself. */
  signal?: AbortSignal;
}

/** What a command run in a container did: its exit code and its output, each stream apart. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Tries at reading the exit code, which the engine may record a moment after the output ends. */
const EXIT_CODE_ATTEMPTS = 20;

/** Runs a command in a running container, without a tty, and collects its output and exit code. An abort rejects with the signal's reason. */
export async function execInContainer(connection: EngineConnection, container: string, command: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  try {
    return await runExec(connection, container, command, options);
  } catch (error) {
    // dockerode rejects an aborted request with an AbortError of its own.
    options.signal?.throwIfAborted();
    throw error;
  }
}

async function runExec(connection: EngineConnection, container: string, command: readonly string[], options: ExecOptions): Promise<ExecResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  const exec = await connection.docker.getContainer(container).exec({
    Cmd: [...command],
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    ...(options.user ? { User: options.user } : {}),
    ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
    ...(options.env ? { Env: Object.entries(options.env).map(([name, value]) => `${name}=${value}`) } : {}),
    ...(signal ? { abortSignal: signal } : {}),
  });
  const stream = await exec.start({ hijack: true, stdin: false, ...(signal ? { abortSignal: signal } : {}) });
  const output = await collectOutput(stream, signal);
  for (let attempt = 1; ; attempt++) {
    const { ExitCode: exitCode, Running: running } = await exec.inspect();
    if (!running && exitCode !== null) return { exitCode, ...output };
    if (attempt >= EXIT_CODE_ATTEMPTS) throw new Error(`the engine reports no exit code for "${command.join(' ')}" in ${container} after its output ended`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
