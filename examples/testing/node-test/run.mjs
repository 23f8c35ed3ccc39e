// node:test has no globalSetup before Node 24: this script is the run. It brings one stack up
// for every test file, hands its endpoint to them in the environment (each file runs in a
// process of its own, started after this), runs the files in parallel and takes the stack down.
//   node examples/testing/node-test/run.mjs
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { finished } from 'node:stream/promises';
import { compose, wait } from 'tscompose';

const here = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(here).filter((name) => name.endsWith('.test.mjs')).map((name) => `${here}${name}`);

const stack = await compose({ workingDir: fileURLToPath(new URL('..', import.meta.url)), isolate: true })
  .withWait('db', wait.log(/ready to accept connections/))
  .up();

try {
  process.env.SHOP_API_URL = stack.endpoint('api', 3000).url;
  let failed = false;
  const tests = run({ files, concurrency: true }).on('test:fail', () => (failed = true));
  tests.compose(spec).pipe(process.stdout);
  await finished(tests);
  process.exitCode = failed ? 1 : 0;
} finally {
  // Node 20 has no \`await using\` in plain JavaScript (TypeScript compiles it down).
  await stack.down();
}
