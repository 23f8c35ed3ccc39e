// A stack of the calling test file's own, next to the other files' stacks: `isolate` gives it a
// project name of its own, and the random host ports keep them apart.
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compose, wait } from 'tscompose';

/** Brings the file's stack up before its tests and down after them; call it at the top of the file. */
export function useIsolatedStack() {
  let stack;
  before(async () => {
    stack = await compose({ workingDir: fileURLToPath(new URL('..', import.meta.url)), isolate: true })
      .withWait('db', wait.port(5432))
      .up();
  });
  after(() => stack?.down());
  return () => stack;
}
