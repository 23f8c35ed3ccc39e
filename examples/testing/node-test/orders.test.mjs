import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useIsolatedStack } from './isolated-stack.mjs';

const stack = useIsolatedStack();

test('has an API of its own, on a random host port', async () => {
  const { url, port } = stack().endpoint('api', 3000);
  assert.ok(port > 0);
  assert.equal((await fetch(`${url}/health`)).status, 200);
});
