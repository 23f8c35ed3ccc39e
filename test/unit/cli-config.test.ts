import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

describe('tscompose config', () => {
  it('prints the normalized model as YAML', async () => {
    const { code, stdout } = await runCli(['config'], fixture('valid', 'minimal'));
    expect(code).toBe(0);
    expect(parse(stdout)).toMatchObject({ name: 'minimal', services: { web: { ports: [{ target: 80, published: '8080' }] } }, networks: { default: { name: 'minimal_default' } } });
  });

  it('prints JSON with --format json', async () => {
    const { code, stdout } = await runCli(['config', '--format', 'json'], fixture('valid', 'multi-network'));
    expect(code).toBe(0);
    expect(JSON.parse(stdout).networks.back).toMatchObject({ name: 'shop_back', internal: true });
  });

  it('lists services and networks', async () => {
    expect((await runCli(['config', '--services'], fixture('valid', 'multi-network'))).stdout).toBe('proxy\napi\ndb\nworker\n');
    expect((await runCli(['config', '--networks'], fixture('valid', 'multi-network'))).stdout).toBe('front\nback\nshared\ndefault\n');
  });

  it('takes the global options before or after the command', async () => {
    const dir = fixture('valid', 'override');
    const before = await runCli(['-f', 'compose.yaml', '-p', 'other', 'config', '--format', 'json'], dir);
    const after = await runCli(['config', '--format', 'json', '-f', 'compose.yaml', '-p', 'other'], dir);
    expect(JSON.parse(before.stdout).name).toBe('other');
    expect(after.stdout).toBe(before.stdout);
  });

  it('--no-consistency accepts a service with neither image nor build, as compose does', async () => {
    expect((await runCli(['-f', 'no-image-no-build.yaml', 'config', '-q'], fixture('invalid'))).code).toBe(1);
    const { code, stdout } = await runCli(['-f', 'no-image-no-build.yaml', 'config', '--no-consistency', '--format', 'json'], fixture('invalid'));
    expect(code).toBe(0);
    expect(JSON.parse(stdout).services.web.image).toBeUndefined();
  });

  it('--profiles lists every profile of the files, enabled or not', async () => {
    expect((await runCli(['config', '--profiles'], fixture('valid', 'profiles'))).stdout).toBe('debug\ndocs\n');
  });

  it('validates quietly with -q', async () => {
    const { code, stdout, stderr } = await runCli(['config', '-q'], fixture('valid', 'ports'));
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('prints errors as file:line:col with the source line, a caret and a hint, and no stack', async () => {
    const { code, stdout, stderr } = await runCli(['-f', 'unknown-key.yaml', 'config', '-q'], fixture('invalid'));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('error: unknown-key.yaml:6:5: unknown key "prots" in services.web');
    expect(stderr).toContain('6 | ');
    expect(stderr).toContain('    prots:\n');
    expect(stderr).toMatch(/\|\s{5}\^/);
    expect(stderr).toContain('hint: did you mean "ports"?');
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('shows the stack with --verbose', async () => {
    const { stderr } = await runCli(['-f', 'unknown-key.yaml', '--verbose', 'config'], fixture('invalid'));
    expect(stderr).toMatch(/SchemaError/);
    expect(stderr).toMatch(/\n\s+at /);
  });

  it('reports several errors of one run together', async () => {
    const { code, stderr } = await runCli(['-f', 'several-errors.yaml', 'config'], fixture('invalid'));
    expect(code).toBe(1);
    expect(stderr.match(/^error:/gm)).toHaveLength(2);
  });

  it('exits 2 on a usage error', async () => {
    const { code, stderr } = await runCli(['config', '--formt', 'json'], fixture('valid', 'minimal'));
    expect(code).toBe(2);
    expect(stderr).toContain('unknown option --formt');
    expect(stderr).toContain('did you mean --format?');
  });

  it('names the directory when no compose file is found', async () => {
    const { code, stderr } = await runCli(['config'], '/');
    expect(code).toBe(1);
    expect(stderr).toContain('no compose file found in /');
  });
});

describe('diagnostics with --progress json', () => {
  it('writes warnings and each error as JSON events, with their place in the file', async () => {
    const dir = fixture('valid', 'interpolation');
    // A variable that is not set is a warning: REPLICAS, with another env file.
    const warned = await runCli(['--progress', 'json', '--env-file', fixture('valid', 'include', 'db', '.env'), 'config', '-q'], dir);
    const warning = JSON.parse(warned.stderr.trim().split('\n')[0]!);
    expect(warning).toMatchObject({ kind: 'Warning', status: 'info', resource: '', text: 'the "REPLICAS" variable is not set; defaulting to a blank string' });
    expect(warning.location).toMatch(/compose\.yaml:\d+:\d+$/);

    const failed = await runCli(['--progress', 'json', '-f', fixture('invalid', 'several-errors.yaml'), 'config'], dir);
    const errors = failed.stderr.trim().split('\n').map((line) => JSON.parse(line));
    expect(failed.code).toBe(1);
    expect(errors.length).toBeGreaterThan(1);
    expect(errors.every((event) => event.kind === 'Error' && event.status === 'error' && /several-errors\.yaml:\d+:\d+$/.test(event.location))).toBe(true);
  });

  it('writes a usage error as JSON when --progress json was asked for', async () => {
    const { code, stderr } = await runCli(['--progress', 'json', 'nosuchcommand'], fixture('valid', 'minimal'));
    expect(code).toBe(2);
    expect(JSON.parse(stderr)).toMatchObject({ kind: 'Error', error: 'unknown command "nosuchcommand"' });
  });
});
