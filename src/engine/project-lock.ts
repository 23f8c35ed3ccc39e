import { mkdirSync, unlinkSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { EngineAddress } from './address.js';

/** Who holds a project's lock, as the holder tells a process that waits for it. */
export interface LockHolder {
  pid: number;
  command: string;
  since: string;
}

export interface ProjectLock {
  release(): Promise<void>;
}

export interface LockOptions {
  /** What the holder is doing, for whoever waits: `up`, `down`. */
  command: string;
  /** Told once when the lock is held by another process, before waiting for it. */
  onWait?: (holder: LockHolder | undefined) => void;
  signal?: AbortSignal;
}

/**
 * Takes the lock of one project on one engine, waiting while another tscompose holds it, so that
 * two `up`s (or an `up` and a `down`) of the same project never plan from the same snapshot and
 * both create its networks. The lock is a listening unix socket: on Linux in the abstract
 * namespace, which the kernel frees when the holder dies, kill -9 included; elsewhere a socket
 * file under the runtime directory, taken over when nothing answers on it. A process waiting
 * holds a connection to the holder and tries again when the holder closes it.
 * Processes on other machines or in other network namespaces do not see it: the engine's own
 * CheckDuplicate and the next `up`'s repair cover them.
 */
export async function lockProject(address: EngineAddress, project: string, options: LockOptions): Promise<ProjectLock> {
  const path = lockPath(address, project);
  const holder: LockHolder = { pid: process.pid, command: options.command, since: new Date().toISOString() };
  let told = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const lock = await tryListen(path, holder);
    if (lock) return lock;
    const held = await holderOf(path);
    if (held === 'stale') {
      // Only a socket file can go stale; nothing answers on it, so its holder is gone.
      unlinkSync(path);
      continue;
    }
    if (!told) options.onWait?.(held.holder);
    told = true;
    await held.released(options.signal);
  }
}

/** The lock's address: keyed by engine and project, so that other projects and engines never wait. */
export function lockPath(address: EngineAddress, project: string): string {
  const key = process.getBuiltinModule('node:crypto').createHash('sha256').update(`${address.display}\0${project}`).digest('hex').slice(0, 32);
  if (process.platform === 'linux') return `\0tscompose-lock-${key}`;
  const dir = join(process.env.XDG_RUNTIME_DIR || process.getBuiltinModule('node:os').tmpdir(), 'tscompose-locks');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return join(dir, `${key}.sock`);
}

/** Listens on the lock's address; undefined when another process listens there. */
async function tryListen(path: string, holder: LockHolder): Promise<ProjectLock | undefined> {
  const waiters = new Set<Socket>();
  const server = process.getBuiltinModule('node:net').createServer((socket) => {
    waiters.add(socket);
    socket.once('close', () => waiters.delete(socket));
    socket.on('error', () => {});
    socket.write(JSON.stringify(holder) + '\n');
  });
  // The lock must not keep a process alive that has nothing else to do.
  server.unref();
  const listening = await new Promise<boolean>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)));
    server.listen(path, () => resolve(true));
  });
  if (!listening) return undefined;
  return {
    release: () =>
      new Promise((resolve) => {
        // The file goes first: a newcomer may then take the lock while the waiters are told.
        if (!path.startsWith('\0')) unlinkSync(path);
        server.close(() => resolve());
        // Closing a waiter's connection is what tells it to try again.
        for (const socket of waiters) socket.destroy();
      }),
  };
}

/** Asks the holder who it is; the answer comes with a promise that resolves when it lets go. */
function holderOf(path: string): Promise<'stale' | { holder: LockHolder | undefined; released: (signal?: AbortSignal) => Promise<void> }> {
  return new Promise((resolve) => {
    const socket = process.getBuiltinModule('node:net').connect(path);
    let text = '';
    let answered = false;
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    const answer = (holder: LockHolder | undefined) => {
      if (answered) return;
      answered = true;
      resolve({
        holder,
        released: (signal) =>
          new Promise<void>((done, fail) => {
            const abort = () => (socket.destroy(), fail(signal!.reason));
            if (signal?.aborted) return abort();
            signal?.addEventListener('abort', abort, { once: true });
            void closed.then(() => (signal?.removeEventListener('abort', abort), done()));
          }),
      });
    };
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) answer(parseHolder(text));
    });
    socket.once('close', () => answer(undefined));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered && (error.code === 'ECONNREFUSED' || error.code === 'ENOENT')) {
        answered = true;
        resolve(error.code === 'ENOENT' ? { holder: undefined, released: async () => {} } : 'stale');
      }
    });
  });
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    return JSON.parse(text.slice(0, text.indexOf('\n'))) as LockHolder;
  } catch {
    return undefined;
  }
}
