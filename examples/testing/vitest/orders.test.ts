import { expect, it } from 'vitest';
import { useIsolatedStack } from './isolated-stack.js';

const stack = useIsolatedStack();

it('has an API of its own, on a random host port', async () => {
  const { url, port } = stack().endpoint('api', 3000);
  expect(port).toBeGreaterThan(0);
  expect((await fetch(`${url}/health`)).status).toBe(200);
});
