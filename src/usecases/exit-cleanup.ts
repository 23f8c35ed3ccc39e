import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Projects to take down if the process ends before they are. */
const pending = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Takes the project down when the process ends before `release()` is called: on `process.exit`,
 * at the end of the event loop, after an uncaught error or unhandled rejection, and on SIGINT
 * and SIGTERM. Each project once. The exit is not held up: a detached `tscompose down` does the
 * work after the process is gone (an exiting process can run no more asynchronous code). What
 * even that misses (`kill -9`) carries owner labels for `tscompose down --stale`.
 */
export function takeDownOnExit(project: string): { release(): void } {
  if (pending.size === 0) install();
  pending.add(project);
  return {
    release() {
      if (!pending.delete(project)) return;
      if (pending.size === 0) uninstall();
    },
  };
}

function install(): void {
  process.on('exit', takeDownPending);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.removeListener('exit', takeDownPending);
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
}

function onSignal(signal: NodeJS.Signals): void {
  takeDownPending();
  uninstall();
  // Alone, a listener would keep the process alive: with no other listener, end it as the signal would have.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function takeDownPending(): void {
  const projects = [...pending];
  pending.clear();
  if (projects.length === 0) return;
  const cli = join(packageRoot(), 'bin', 'tscompose.cjs');
  for (const project of projects) {
    // -t 0: nobody waits for a graceful stop; `/` as the directory, where no compose file is found.
    const child = process.getBuiltinModule('node:child_process').spawn(process.execPath, [cli, '--progress', 'quiet', '-p', project, 'down', '--volumes', '--remove-orphans', '-t', '0'], { cwd: '/', detached: true, stdio: 'ignore' });
    child.unref();
  }
}

/** The folder of tscompose's package.json: from dist/ (the package) or src/usecases/ (its source, in its own tests). */
function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tscompose') return folder;
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`tscompose's package.json was not found above ${fileURLToPath(import.meta.url)}`);
    folder = parent;
  }
}
