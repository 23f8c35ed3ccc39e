import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs the CLI in-process in `cwd`, with colors off, and captures what it prints. */
export async function runCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(args, stdout, stderr);
    return { code, stdout: stdout.text, stderr: stderr.text };
  } finally {
    process.chdir(previous);
  }
}
