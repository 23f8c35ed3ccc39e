import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'fixtures');

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory holding the given files (paths relative to it), removed after the test file. */
export function tempProject(files: Record<string, string>, name = 'proj'): string {
  const parent = mkdtempSync(join(tmpdir(), 'tscompose-'));
  made.push(parent);
  const dir = join(parent, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}
