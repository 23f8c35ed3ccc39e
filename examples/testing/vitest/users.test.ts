// A stack of this file's own, next to the other files' stacks: `isolate` gives it a project name of its own.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compose, wait, type Stack } from 'tscompose';

let stack: Stack;
beforeAll(async () => {
  stack = await compose({ workingDir: fileURLToPath(new URL('..', import.meta.url)), isolate: true })
    .withWait('db', wait.port(5432))
    .up();
});
afterAll(() => stack?.down());

it('has an API of its own', async () => {
  const response = await fetch(`${stack.endpoint('api', 3000).url}/health`);
  expect(response.status).toBe(200);
});

it('runs commands in its database container', async () => {
  const { exitCode, stdout } = await stack.exec('db', ['sh', '-c', 'echo users > /tmp/seed && cat /tmp/seed']);
  expect({ exitCode, stdout }).toEqual({ exitCode: 0, stdout: 'users\n' });
});
