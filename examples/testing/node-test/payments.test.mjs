import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useIsolatedStack } from './isolated-stack.mjs';

const stack = useIsolatedStack();

test('runs commands in its own database container', async () => {
  assert.deepEqual(await stack().exec('db', ['sh', '-c', 'echo payments > /tmp/seed && cat /tmp/seed']), { exitCode: 0, stdout: 'payments\n', stderr: '' });
});
