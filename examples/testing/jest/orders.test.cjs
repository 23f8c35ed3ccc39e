// A stack of this file's own, next to the other files' stacks: `isolate` gives it a project name of its own.
const { join } = require('node:path');
const { compose, wait } = require('tscompose');

let stack;
beforeAll(async () => {
  stack = await compose({ workingDir: join(__dirname, '..'), isolate: true })
    .withWait('db', wait.port(5432))
    .up();
});
afterAll(() => stack?.down());

test('has an API of its own', async () => {
  const response = await fetch(`${stack.endpoint('api', 3000).url}/health`);
  expect(response.status).toBe(200);
});

test('runs commands in its database container', async () => {
  const { exitCode, stdout } = await stack.exec('db', ['sh', '-c', 'echo orders > /tmp/seed && cat /tmp/seed']);
  expect({ exitCode, stdout }).toEqual({ exitCode: 0, stdout: 'orders\n' });
});
