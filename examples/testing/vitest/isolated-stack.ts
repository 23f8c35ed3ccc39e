// A stack of the calling test file's own, next to the other files' stacks: `isolate` gives it a
// project name of its own, and the random host ports keep them apart.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { compose, wait, type Stack } from 'tscompose';

/** Brings the file's stack up before its tests and down after them; call it at the top of the file. */
export function useIsolatedStack(): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await compose({ workingDir: fileURLToPath(new URL('..', import.meta.url)), isolate: true })
      .withWait('db', wait.port(5432))
      .up();
  });
  afterAll(() => stack?.down());
  return () => stack!;
}
