// One stack for the whole run. globalSetup runs in jest's own process: the workers that run the
// test files are started after it and get its environment, so the endpoint goes in process.env;
// the handle stays in globalThis for global-teardown.cjs, which runs in the same process.
const { join } = require('node:path');
const { compose, wait } = require('tscompose');

module.exports = async function globalSetup() {
  const stack = await compose({ workingDir: join(__dirname, '..'), isolate: true })
    .withWait('db', wait.log(/ready to accept connections/))
    .up();
  process.env.SHOP_API_URL = stack.endpoint('api', 3000).url;
  globalThis.shopStack = stack;
};
