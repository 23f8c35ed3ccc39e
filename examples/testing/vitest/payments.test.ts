import { expect, it } from 'vitest';
import { useIsolatedStack } from './isolated-stack.js';

const stack = useIsolatedStack();

it('runs commands in its own database container', async () => {
  expect(await stack().exec('db', ['sh', '-c', 'echo payments > /tmp/seed && cat /tmp/seed'])).toEqual({ exitCode: 0, stdout: 'payments\n', stderr: '' });
});
