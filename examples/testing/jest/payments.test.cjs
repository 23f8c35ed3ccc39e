const { useIsolatedStack } = require('./isolated-stack.cjs');

const stack = useIsolatedStack();

test('runs commands in its own database container', async () => {
  expect(await stack().exec('db', ['sh', '-c', 'echo payments > /tmp/seed && cat /tmp/seed'])).toEqual({ exitCode: 0, stdout: 'payments\n', stderr: '' });
});
