const { useIsolatedStack } = require('./isolated-stack.cjs');

const stack = useIsolatedStack();

test("reads its database's logs", async () => {
  expect(await stack().logs('db')).toContain('ready to accept connections');
});
