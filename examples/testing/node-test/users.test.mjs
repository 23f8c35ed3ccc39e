import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useIsolatedStack } from './isolated-stack.mjs';

const stack = useIsolatedStack();

test("reads its database's logs", async () => {
  assert.match(await stack().logs('db'), /ready to accept connections/);
});
