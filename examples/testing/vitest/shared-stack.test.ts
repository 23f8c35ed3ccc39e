import { expect, inject, it } from 'vitest';

it('reaches the API of the stack the run shares', async () => {
  const response = await fetch(`${inject('apiUrl')}/health`);
  expect(await response.json()).toEqual({ ok: true });
});
