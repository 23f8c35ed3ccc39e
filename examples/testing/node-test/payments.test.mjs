// A stack of this file's own, next to the other files' stacks: `isolate` gives it a project name of its own.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compose, wait } from 'tscompose';

let stack;
before(async () => {
  stack = await compose({ workingDir: fileURLToPath(new URL('..', import.meta.url)), isolate: true })
    .withWait('db', wait.port(5432))
    .up();
});
after(() => stack?.down());

test('has an API of its own', async () => {
  const response = await fetch(`${stack.endpoint('api', 3000).url}/health`);
  assert.equal(response.status, 200);
});

test('runs commands in its database container', async () => {
  const { exitCode, stdout } = await stack.exec('db', ['sh', '-c', 'echo payments > /tmp/seed && cat /tmp/seed']);
  assert.deepEqual({ exitCode, stdout }, { exitCode: 0, stdout: 'payments\n' });
});
