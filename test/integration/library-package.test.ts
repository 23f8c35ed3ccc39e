import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineForTests } from '../helpers/engine.js';
import { ROOT } from '../helpers/fixtures.js';

const engine = await engineForTests();

/** The names a user's code finds in the package, whichever way it loads it. */
const DOCUMENTED = ['load', 'plan', 'up', 'down', 'ps', 'env', 'formatEnv', 'withProgress', 'WaitError', 'WaitTimeoutError', 'ServiceFailedError', 'formatWaitReport'];

/**
 * The package as a user gets it: `npm pack`, then `npm install` of the tarball into a fresh
 * folder, then code of the user's in that folder.
 */
describe('the packed package, installed into a fresh project', () => {
  let app: string;
  const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: app, encoding: 'utf8' });

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (the test command does)');
    const folder = mkdtempSync(join(tmpdir(), 'tscompose-package-'));
    const tarball = execFileSync('npm', ['pack', ROOT, '--pack-destination', folder, '--silent'], { cwd: folder, encoding: 'utf8' }).trim().split('\n').at(-1)!;
    app = join(folder, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    // --offline: a package without dependencies needs nothing from the registry.
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(folder, tarball)], { cwd: app, encoding: 'utf8' });
  }, 120_000);

  afterAll(() => {
    if (app) rmSync(join(app, '..'), { recursive: true, force: true });
  });

  it('installs nothing but itself, without source maps', () => {
    expect(readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual(['tscompose']);
    const files = readdirSync(join(app, 'node_modules', 'tscompose'), { recursive: true, encoding: 'utf8' });
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
  });

  it('exports the library API to import and to require', () => {
    writeFileSync(join(app, 'esm.mjs'), "const m = await import('tscompose'); console.log(JSON.stringify(Object.keys(m)));");
    writeFileSync(join(app, 'cjs.cjs'), "console.log(JSON.stringify(Object.keys(require('tscompose'))));");
    for (const file of ['esm.mjs', 'cjs.cjs']) {
      const names = JSON.parse(run([file])) as string[];
      for (const name of DOCUMENTED) expect(names, file).toContain(name);
    }
  });

  it('exposes only its documented entry point', () => {
    writeFileSync(join(app, 'deep.mjs'), "try { await import('tscompose/dist/index.js'); console.log('loaded'); } catch (error) { console.log(error.code); }");
    expect(run(['deep.mjs']).trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('has no `any` in its public types', () => {
    const declarations = readFileSync(join(app, 'node_modules', 'tscompose', 'dist', 'index.d.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    expect(declarations.match(/[:<,|(]\s*any\b|\bany\[\]|\bas any\b/g)).toBeNull();
  });

  it('type-checks in a TypeScript project, ES module and CommonJS, with skipLibCheck off', () => {
    const use = [
      "import { compose, load, plan, up, wait, type ExecResult, type Plan, type Stack, type UpResult } from 'tscompose';",
      "const { project } = load({ workingDir: '.' });",
      'const planned: Plan = plan(project);',
      'export async function start(): Promise<UpResult> { return up({ project }); }',
      'export const operations: number = planned.operations.length;',
      "export async function stack(): Promise<Stack> { return compose({ isolate: true }).withWait('db', wait.any(wait.log(/ready/, { times: 2 }), wait.port(5432))).up(); }",
      "export async function query(running: Stack): Promise<ExecResult> { return running.exec('db', ['psql', '-c', 'select 1'], { signal: AbortSignal.timeout(1000) }); }",
      'export const engine: string = planned.apiVersion;',
    ].join('\n');
    writeFileSync(join(app, 'use.mts'), use);
    writeFileSync(join(app, 'use.cts'), use);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, skipLibCheck: false, noEmit: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] },
        files: ['use.mts', 'use.cts'],
      }),
    );
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
  }, 60_000);

  it.skipIf(!engine)('talks to the engine from both forms (the engine client loads under ESM and CommonJS)', () => {
    const query = "({ workingDir: '/', projectName: 'tscompose-it-no-such-project' })";
    writeFileSync(join(app, 'ps.mjs'), `import { ps } from 'tscompose'; console.log(JSON.stringify(await ps${query}));`);
    writeFileSync(join(app, 'ps.cjs'), `require('tscompose').ps${query}.then((containers) => console.log(JSON.stringify(containers)));`);
    expect(run(['ps.mjs'])).toBe('[]\n');
    expect(run(['ps.cjs'])).toBe('[]\n');
  });
});
