import { finished } from 'node:stream/promises';
import type Docker from 'dockerode';
import type { EngineConnection } from './client.js';
import { collectOutput, FrameDemultiplexer } from './stream-frames.js';

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

/** The exec create fields of the options given: user, working directory, variables, privileges. */
function execSettings(options: AttachedExecOptions): Pick<Docker.ExecCreateOptions, 'User' | 'WorkingDir' | 'Env' | 'Privileged'> {
  return {
    ...(options.user ? { User: options.user } : {}),
    ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
    ...(options.env ? { Env: Object.entries(options.env).map(([name, value]) => `${name}=${value}`) } : {}),
    ...(options.privileged ? { Privileged: true } : {}),
  };
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
    ...execSettings(options),
    ...(signal ? { abortSignal: signal } : {}),
  });
  const stream = await exec.start({ hijack: true, stdin: false, ...(signal ? { abortSignal: signal } : {}) });
  const output = await collectOutput(stream, signal);
  return { exitCode: await exitCodeOf(exec, container, command), ...output };
}

/** The exit code of an exec whose output ended: the engine may record it a moment later. */
async function exitCodeOf(exec: Docker.Exec, container: string, command: readonly string[]): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const { ExitCode: exitCode, Running: running } = await exec.inspect();
    if (!running && exitCode !== null) return exitCode;
    if (attempt >= EXIT_CODE_ATTEMPTS) throw new Error(`the engine reports no exit code for "${command.join(' ')}" in ${container} after its output ended`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Terminal size, in character cells. */
export interface TerminalSize {
  rows: number;
  columns: number;
}

/** The streams an attached exec (`tscompose exec`, `run`) is wired to. */
export interface AttachedIo {
  /** Fed to the command's stdin until it ends; absent: the command gets no stdin. */
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** A pseudo-terminal: one raw stream (stdout), no frames. */
  tty?: boolean;
  /** The terminal's size, now and on each change (`onResize` subscribes; returns its unsubscribe). */
  size?: () => TerminalSize | undefined;
  onResize?: (listener: () => void) => () => void;
  /** Called once the command's streams are attached, just before they flow (a terminal goes raw then, not while dependencies start). */
  onAttached?: () => void;
}

export interface AttachedExecOptions extends Omit<ExecOptions, 'signal'> {
  /** `--privileged`: extended privileges for the command. */
  privileged?: boolean;
}

/**
 * Runs a command in a running container wired to the given streams, as `docker exec -i[t]`
 * does: stdin is written to the command until it ends (then the command's stdin is closed), its
 * output goes to stdout and stderr (demultiplexed without a tty). Returns its exit code.
 */
export async function execAttached(connection: EngineConnection, container: string, command: readonly string[], io: AttachedIo, options: AttachedExecOptions = {}): Promise<number> {
  const exec = await connection.docker.getContainer(container).exec({
    Cmd: [...command],
    AttachStdin: io.stdin !== undefined,
    AttachStdout: true,
    AttachStderr: true,
    Tty: io.tty === true,
    ...execSettings(options),
  });
  const stream = await exec.start({ hijack: true, stdin: io.stdin !== undefined, Tty: io.tty === true });
  await pump(stream, io, (size) => exec.resize(size));
  return exitCodeOf(exec, container, command);
}

/**
 * Wires an attached (hijacked) stream to `io` until the output ends: stdin in, output out, raw
 * on a tty, demultiplexed without; the tty follows the terminal's size.
 */
async function pump(stream: NodeJS.ReadWriteStream, io: AttachedIo, resizeTo: (size: { h: number; w: number }) => Promise<unknown>): Promise<void> {
  const resize = async () => {
    const size = io.size?.();
    // The engine refuses a resize before the process runs; the next resize or none at all is harmless.
    if (size) await resizeTo({ h: size.rows, w: size.columns }).catch(() => undefined);
  };
  const unsubscribe = io.tty ? io.onResize?.(() => void resize()) : undefined;
  if (io.tty) void resize();
  io.onAttached?.();
  const frames = new FrameDemultiplexer();
  stream.on('data', (chunk: Buffer) => {
    if (io.tty) io.stdout.write(chunk);
    else for (const [name, payload] of frames.push(chunk)) io[name].write(payload);
  });
  if (io.stdin) io.stdin.pipe(stream);
  try {
    await finished(stream, { writable: false });
  } finally {
    unsubscribe?.();
    io.stdin?.unpipe(stream);
  }
}

/**
 * Attaches to a created container before it starts (`run`): returns when attached, with
 * `output`, done when its output ends, and `exitCode`, its exit code once it has exited (asked
 * for before the start, so that it is known even when the engine removes it on exit: then once
 * it is removed).
 */
export async function attachContainer(connection: EngineConnection, name: string, io: AttachedIo, { autoRemoved = false } = {}): Promise<{ output: Promise<void>; exitCode: Promise<number> }> {
  const container = connection.docker.getContainer(name);
  const stream = (await container.attach({ stream: true, stdin: io.stdin !== undefined, stdout: true, stderr: true, hijack: true })) as NodeJS.ReadWriteStream;
  // A container the engine removes on exit is waited for until it is gone, as `docker run --rm` does.
  const exitCode = (container.wait({ condition: autoRemoved ? 'removed' : 'next-exit' }) as Promise<{ StatusCode: number }>).then((result) => result.StatusCode);
  // Read at once: a container that fails to start never exits, and its wait must not be left rejected unobserved.
  exitCode.catch(() => undefined);
  return { output: pump(stream, io, (size) => container.resize(size)), exitCode };
}

/** Starts a command in a running container and returns at once, as `exec -d` does. */
export async function execDetached(connection: EngineConnection, container: string, command: readonly string[], options: AttachedExecOptions = {}): Promise<void> {
  const exec = await connection.docker.getContainer(container).exec({
    Cmd: [...command],
    ...execSettings(options),
  });
  const response = (await exec.start({ Detach: true })) as NodeJS.ReadableStream;
  // The engine answers at once with an empty body: read to its end, so that no socket stays open.
  await finished(response.resume());
}
