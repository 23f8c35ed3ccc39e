import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';

export const BIN = join(ROOT, 'bin', 'tscompose');

export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built executable in `cwd` with `input` on its stdin (none: stdin is closed at once). */
export function runBin(args: string[], cwd: string, input = ''): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/**
 * The executable on a pseudo-terminal (util-linux `script`), driven as a person would: each
 * step waits until the screen shows `expect` (bounded), then types `type`.
 */
export function runOnTerminal(args: string[], cwd: string, steps: { expect: string | RegExp; type: string }[], timeoutMs = 30_000): Promise<{ code: number | null; screen: string }> {
  const command = [BIN, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1', TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let next = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the terminal did not show ${String(steps[next]?.expect)} within ${timeoutMs} ms; it shows:\n${screen}`));
    }, timeoutMs);
    const advance = () => {
      const step = steps[next];
      if (!step) return;
      const shown = typeof step.expect === 'string' ? screen.includes(step.expect) : step.expect.test(screen);
      if (!shown) return;
      next++;
      child.stdin.write(step.type);
      advance();
    };
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      advance();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}
