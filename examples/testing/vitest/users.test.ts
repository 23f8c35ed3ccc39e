import { expect, it } from 'vitest';
import { useIsolatedStack } from './isolated-stack.js';

const stack = useIsolatedStack();

it("reads its database's logs", async () => {
  expect(await stack().logs('db')).toContain('ready to accept connections');
});
