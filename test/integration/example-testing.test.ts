import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listStacks } from '../../src/usecases/index.js';
import { engineForTests } from '../helpers/engine.js';
import { ROOT } from '../helpers/fixtures.js';

const engine = await engineForTests();

const EXAMPLES = join(ROOT, 'examples', 'testing');

/** Runs a test runner as a user would, in the example's folder. */
function runSuite(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 400_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr });
    });
  });
}

/** The example stacks (project `shop-<hex>`) on the engine. */
async function shopStacks(): Promise<string[]> {
  return (await listStacks({ connection: engine! })).map((stack) => stack.project).filter((name) => /^shop-[0-9a-f]{8}$/.test(name));
}

/**
 * The three runners' examples, each with one stack for the run and three test files in parallel
 * with a stack of their own; the runs go at once, as CI jobs sharing an engine would.
 */
describe.skipIf(!engine).concurrent('examples/testing under vitest, jest and node:test', () => {
  let before: string[];
  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'index.cjs'))) throw new Error('dist/ is missing: run `npm run build` first (the test command does)');
    if (!existsSync(join(EXAMPLES, 'jest', 'node_modules', 'jest'))) throw new Error('jest is missing: run `npm ci --prefix examples/testing/jest` (the test command does)');
    before = await shopStacks();
  });

  // Every run takes down what it brought up.
  afterAll(async () => {
    expect((await shopStacks()).filter((name) => !before.includes(name))).toEqual([]);
  });

  it('vitest: globalSetup and isolated stacks per file', async () => {
    const { code, output } = await runSuite([join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', join(EXAMPLES, 'vitest', 'vitest.config.ts')], ROOT);
    expect(output).toContain('Tests  4 passed (4)');
    expect(code, output).toBe(0);
  }, 420_000);

  it('jest: globalSetup and isolated stacks per file', async () => {
    const { code, output } = await runSuite([join(EXAMPLES, 'jest', 'node_modules', 'jest', 'bin', 'jest.js')], join(EXAMPLES, 'jest'));
    expect(output).toContain('Tests:       4 passed, 4 total');
    expect(code, output).toBe(0);
  }, 420_000);

  it('node:test: one stack for the run and isolated stacks per file', async () => {
    const { code, output } = await runSuite([join(EXAMPLES, 'node-test', 'run.mjs')], ROOT);
    expect(output).toMatch(/ℹ pass 4\n/);
    expect(code, output).toBe(0);
  }, 420_000);

});
