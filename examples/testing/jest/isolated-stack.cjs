// A stack of the calling test file's own, next to the other files' stacks: `isolate` gives it a
// project name of its own, and the random host ports keep them apart.
const { join } = require('node:path');
const { compose, wait } = require('tscompose');

/** Brings the file's stack up before its tests and down after them; call it at the top of the file. */
exports.useIsolatedStack = function useIsolatedStack() {
  let stack;
  beforeAll(async () => {
    stack = await compose({ workingDir: join(__dirname, '..'), isolate: true })
      .withWait('db', wait.port(5432))
      .up();
  });
  afterAll(() => stack?.down());
  return () => stack;
};
