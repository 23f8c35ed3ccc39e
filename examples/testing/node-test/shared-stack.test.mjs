import assert from 'node:assert/strict';
import { test } from 'node:test';

test('reaches the API of the stack the run shares', async () => {
  const response = await fetch(`${process.env.SHOP_API_URL}/health`);
  assert.deepEqual(await response.json(), { ok: true });
});
