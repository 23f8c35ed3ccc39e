import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { fixture, ROOT } from '../helpers/fixtures.js';

const BIN = join(ROOT, 'bin', 'tscompose');

describe('the built executable', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'cli.cjs'))) throw new Error('dist/ is missing: run `npm run build` first (the test command does)');
  });

  it('prints help from the repo root', () => {
    const help = execFileSync(BIN, ['--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(help).toContain('Usage: tscompose [OPTIONS] COMMAND');
    expect(help).toContain('config');
  });

  it('reports its version, the one in package.json', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect(execFileSync(BIN, ['--version'], { encoding: 'utf8' })).toBe(`tscompose version ${pkg.version}\n`);
  });

  it('runs through a link to it and from its own folder, as npm and a shell reach it', () => {
    const folder = mkdtempSync(join(tmpdir(), 'tscompose-bin-'));
    try {
      symlinkSync(BIN, join(folder, 'tscompose'));
      symlinkSync(join(folder, 'tscompose'), join(folder, 'link-to-link'));
      for (const link of ['tscompose', 'link-to-link']) expect(execFileSync(join(folder, link), ['--version'], { encoding: 'utf8' })).toMatch(/^tscompose version /);
      expect(execFileSync('sh', ['tscompose', '--version'], { cwd: dirname(BIN), encoding: 'utf8' })).toMatch(/^tscompose version /);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('exits non-zero with a located error and no stack trace', () => {
    const result = spawnSync(BIN, ['-f', fixture('invalid', 'unknown-key.yaml'), 'config'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/unknown-key\.yaml:6:5: unknown key "prots" in services\.web/);
    expect(result.stderr).not.toContain('    at ');
  });

  it('does not load the engine client for config', () => {
    // dockerode is bundled but initialized only on first use; initializing it loads Node's tls and http2.
    const result = nodeModulesLoadedBy(['config', '-q'], 'tls|http2', { cwd: fixture('valid', 'minimal') });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('loads at start no Node module that only some commands use', () => {
    // Every command pays for what loads with the bundle: crypto alone was 1.6 ms of a 45 ms --version;
    // os and tty (chalk's color detection) are left to the commands that print colors or reach an engine.
    const result = nodeModulesLoadedBy(['--version'], 'crypto|child_process|dgram|fs\\/promises|readline\\/promises|http|https|tls|zlib|os|tty');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('is ASCII, which V8 holds as one-byte text, and bin/tscompose.cjs reads as latin1', () => {
    // One character beyond ASCII made Node decode the whole bundle as UTF-8 and V8 keep it as two-byte text;
    // read as latin1, it would be garbled.
    const bundles = readdirSync(join(ROOT, 'dist')).filter((name) => name.endsWith('.cjs'));
    expect(bundles).toEqual(expect.arrayContaining(['cli.cjs', 'dockerode.cjs', 'yaml.cjs']));
    for (const bundle of bundles) expect({ bundle, ascii: /^[\x00-\x7f]*$/.test(readFileSync(join(ROOT, 'dist', bundle), 'utf8')) }).toEqual({ bundle, ascii: true });
  });
});

/**
 * Runs the CLI bundle in a Node process of its own with these arguments (its output discarded) and
 * prints which of the named Node modules got loaded. The script comes from stdin: `node -e` loads
 * crypto itself.
 */
function nodeModulesLoadedBy(args: string[], names: string, options: { cwd?: string } = {}) {
  const script = [
    `const { main } = require(${JSON.stringify(join(ROOT, 'dist', 'cli.cjs'))});`,
    `main(${JSON.stringify(args)}, { write() {} }).then((code) => {`,
    '  process.exitCode = code;',
    `  console.log(JSON.stringify(process.moduleLoadList.filter((name) => /^NativeModule (${names})$/.test(name))));`,
    '});',
  ].join('\n');
  return spawnSync(process.execPath, ['-'], { input: script, encoding: 'utf8', ...options });
}
