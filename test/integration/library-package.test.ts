import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { engineForTests } from '../helpers/engine.js';
import { ROOT } from '../helpers/fixtures.js';

const engine = await engineForTests();

/** Runs an ES module in the repository, where `import 'tscompose'` is the built package (dist/index.js), as a user's code would get it. */
function runModule(source: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', source], { cwd: ROOT, encoding: 'utf8' });
}

describe.skipIf(!engine)('the built package, imported as an ES module', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (the test command does)');
  });

  it('exports the library API', () => {
    const names = JSON.parse(runModule("const m = await import('tscompose'); console.log(JSON.stringify(Object.keys(m)));")) as string[];
    for (const name of ['load', 'plan', 'up', 'down', 'ps', 'env', 'formatEnv', 'withProgress', 'WaitError', 'WaitTimeoutError', 'ServiceFailedError', 'formatWaitReport']) expect(names).toContain(name);
  });

  it('talks to the engine (dockerode and its dependencies load under ESM)', () => {
    const output = runModule("import { ps } from 'tscompose'; console.log(JSON.stringify(await ps({ workingDir: '/', projectName: 'tscompose-it-no-such-project' })));");
    expect(output).toBe('[]\n');
  });
});
