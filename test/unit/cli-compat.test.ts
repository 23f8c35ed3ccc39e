import chalk from 'chalk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyColorMode, statusStream, withEnvironmentDefaults } from '../../src/cli/environment.js';
import { envFlag } from '../../src/loader/env-flag.js';
import { planOptionsFrom } from '../../src/cli/plan.js';
import { progressRenderer } from '../../src/cli/progress-option.js';
import { parseArgs } from '../../src/cli/args.js';
import { PS_OPTIONS } from '../../src/cli/ps.js';
import { UP_OPTIONS } from '../../src/cli/up.js';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

/** Scripts written for docker compose v2: its options and environment variables, read as compose reads them. */

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('options as compose takes them', () => {
  it('an option the command does not have is a usage error, -v included (it is --version only before the command)', async () => {
    const dir = fixture('valid', 'minimal');
    for (const argv of [['up', '-v'], ['ps', '-v'], ['logs', '--version'], ['up', '--bogus']]) {
      const { code, stderr } = await runCli(argv, dir);
      expect({ argv, code }).toEqual({ argv, code: 2 });
      expect(stderr).toMatch(/unknown option/);
    }
    expect((await runCli(['-v'], dir)).stdout).toMatch(/^tscompose version /);
  });

  it('up takes --menu=false, as scripts for compose turn its menu off', () => {
    expect(parseArgs(['--menu=false', '-d'], UP_OPTIONS).options).toEqual({ menu: false, detach: true });
  });

  it('a flag takes =true or =false as cobra takes it', () => {
    expect(parseArgs(['--all=true', '--quiet=false', '--no-trunc=1'], PS_OPTIONS).options).toEqual({ all: true, quiet: false, 'no-trunc': true });
    expect(parseArgs(['--all=0', '--no-trunc=T'], PS_OPTIONS).options).toEqual({ all: false, 'no-trunc': true });
    expect(() => parseArgs(['--all=maybe'], PS_OPTIONS)).toThrow('option --all takes no value (or =true, =false)');
  });

  it('the global --dry-run, before or after the command, is up\'s dry run: the plan, nothing changed', async () => {
    vi.stubEnv('DOCKER_HOST', 'unix:///nonexistent/docker.sock');
    const dir = fixture('valid', 'minimal');
    const before = await runCli(['--dry-run', 'up', '--format', 'json'], dir);
    const after = await runCli(['up', '--format', 'json', '--dry-run'], dir);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout).operations.length).toBeGreaterThan(0);
    expect(after.stdout).toBe(before.stdout);
  });

  it('--dry-run of a command that only reads changes nothing in it; of pull and build it is refused', async () => {
    const dir = fixture('valid', 'minimal');
    expect((await runCli(['--dry-run', 'config', '--services'], dir)).stdout).toBe('web\n');
    const pull = await runCli(['--dry-run', 'pull'], dir);
    expect(pull.code).toBe(2);
    expect(pull.stderr).toContain('pull has no dry run');
  });

  it('--dry-run of exec, cp, wait and events, which have no dry run, is refused before anything runs', async () => {
    vi.stubEnv('DOCKER_HOST', 'unix:///nonexistent/docker.sock');
    const dir = fixture('valid', 'minimal');
    for (const argv of [['exec', 'web', 'touch', '/tmp/x'], ['cp', 'web:/etc/hostname', '.'], ['wait', 'web'], ['events']]) {
      for (const dryRun of [['--dry-run', ...argv], [argv[0]!, '--dry-run', ...argv.slice(1)]]) {
        const { code, stderr } = await runCli(dryRun, dir);
        expect(code, dryRun.join(' ')).toBe(2);
        expect(stderr).toContain(`${argv[0]} has no dry run`);
      }
    }
  });
});

describe('compose\'s environment variables', () => {
  it('COMPOSE_PROGRESS and COMPOSE_ANSI are the defaults of --progress and --ansi; the options win', () => {
    expect(withEnvironmentDefaults({}, { COMPOSE_PROGRESS: 'json', COMPOSE_ANSI: 'never' })).toMatchObject({ progress: 'json', ansi: 'never' });
    expect(withEnvironmentDefaults({ progress: 'plain' }, { COMPOSE_PROGRESS: 'json' })).toMatchObject({ progress: 'plain' });
    expect(() => withEnvironmentDefaults({}, { COMPOSE_ANSI: 'sometimes' })).toThrow(/unknown --ansi mode "sometimes"/);
    expect(() => withEnvironmentDefaults({ progress: 'tty' }, { COMPOSE_ANSI: 'never' })).toThrow(/ANSI support is disabled/);
  });

  it("--progress none is compose's other name for quiet", async () => {
    const renderer = await progressRenderer({ progress: 'none' }, process.stderr);
    expect(renderer.constructor.name).toBe('QuietRenderer');
  });

  it('COMPOSE_REMOVE_ORPHANS is the default of --remove-orphans for up and plan', () => {
    expect(planOptionsFrom({}, []).removeOrphans).toBe(false);
    vi.stubEnv('COMPOSE_REMOVE_ORPHANS', 'true');
    expect(planOptionsFrom({}, []).removeOrphans).toBe(true);
    vi.stubEnv('COMPOSE_REMOVE_ORPHANS', 'no');
    expect(planOptionsFrom({}, []).removeOrphans).toBe(false);
  });

  it('COMPOSE_PROGRESS=json makes the error a JSON line, as --progress json does', async () => {
    vi.stubEnv('COMPOSE_PROGRESS', 'json');
    const { code, stderr } = await runCli(['up', '--wait-timeout', 'soon'], fixture('valid', 'minimal'));
    expect(code).toBe(2);
    expect(JSON.parse(stderr)).toMatchObject({ kind: 'Error', error: expect.stringContaining('--wait-timeout') });
  });

  it('NO_COLOR and --ansi never turn colors off, also on a terminal; --ansi always turns them on', () => {
    const level = chalk.level;
    try {
      chalk.level = 3;
      applyColorMode({}, { NO_COLOR: '1' });
      expect(chalk.level).toBe(0);
      chalk.level = 3;
      applyColorMode({ ansi: 'never' }, {});
      expect(chalk.level).toBe(0);
      applyColorMode({ ansi: 'always' }, {});
      expect(chalk.level).toBe(1);
      chalk.level = 3;
      applyColorMode({}, { NO_COLOR: '' });
      expect(chalk.level).toBe(3);
    } finally {
      chalk.level = level;
    }
  });

  it('COMPOSE_STATUS_STDOUT sends progress to stdout; booleans read as Go\'s ParseBool', () => {
    const stdout = process.stdout;
    const stderr = process.stderr;
    expect(statusStream({ COMPOSE_STATUS_STDOUT: 'true' }, stdout, stderr)).toBe(stdout);
    expect(statusStream({ COMPOSE_STATUS_STDOUT: '0' }, stdout, stderr)).toBe(stderr);
    expect(statusStream({}, stdout, stderr)).toBe(stderr);
    expect(['1', 't', 'TRUE', 'True'].map(envFlag)).toEqual([true, true, true, true]);
    expect(['0', 'false', 'yes', '', undefined].map(envFlag)).toEqual([false, false, false, false, false]);
  });
});

describe('version, as docker compose version answers it', () => {
  it('prints the version, the number alone with --short, an object with --format json', async () => {
    const dir = fixture('valid', 'minimal');
    expect((await runCli(['version'], dir)).stdout).toMatch(/^tscompose version \d+\.\d+\.\d+\n$/);
    expect((await runCli(['version', '--short'], dir)).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(JSON.parse((await runCli(['version', '--format', 'json'], dir)).stdout)).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });
});
