import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';
import { assertValidPlan } from '../helpers/plan-schema.js';

const demo = fixture('..', 'examples', 'demo');

// These run without an engine: plan and up --dry-run then plan from empty state.
let previousHost: string | undefined;
beforeAll(() => {
  previousHost = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
});
afterAll(() => {
  if (previousHost === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = previousHost;
});

describe('tscompose plan and up --dry-run without an engine', () => {
  it('a service named on the command line is planned although its profile is not enabled, as compose does', async () => {
    const { code, stdout } = await runCli(['plan', '--format', 'json', 'debugger'], fixture('valid', 'profiles'));
    expect(code).toBe(0);
    expect(JSON.stringify(JSON.parse(stdout))).toContain('profiles-debugger-1');
  });

  it('prints networks, one row per container with aliases and both sides of each port, and the operations', async () => {
    const { code, stdout, stderr } = await runCli(['up', '--dry-run'], demo);
    expect(code).toBe(0);
    expect(stderr).toContain('no Docker engine answers at unix:///nonexistent/docker.sock');
    expect(stderr).toContain('planning from empty state');
    expect(stdout).toMatch(/demo_back \(internal\)\s+bridge\s+-\s+create\s+not found/);
    expect(stdout).toMatch(/demo-api-1\s+api\s+create\s+back \(demo-api-1, api\); front \(demo-api-1, api, backend\) \+connect\s+127\.0\.0\.1:<random> -> 3000\/tcp \| api:3000/);
    expect(stdout).toContain('127.0.0.1:8080 -> 80/tcp | web:80');
    expect(stdout).toContain('connect-network:demo-api-1:demo_front <- create-network:demo_front create-container:demo-api-1, attached before start');
  });

  it('prints the plan JSON with --format json, valid against the plan schema', async () => {
    const { code, stdout } = await runCli(['plan', '--format', 'json'], demo);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    assertValidPlan(plan);
    expect(plan).toMatchObject({ project: 'demo', observed: false, apiVersion: '1.41' });
  });

  it('plans only the named services and what they need', async () => {
    const { stdout } = await runCli(['plan', '--format', 'json', 'web'], demo);
    expect(JSON.parse(stdout).containers.map((c: { service: string }) => c.service)).toEqual(['db', 'api', 'web']);
  });

  it('draws the topology as Mermaid and DOT', async () => {
    const mermaid = await runCli(['graph'], demo);
    expect(mermaid.stdout.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid.stdout).toContain('host -->|"127.0.0.1:8080 → 80/tcp"| ctr_demo_web_1');
    const dot = await runCli(['graph', '--format', 'dot'], demo);
    expect(dot.stdout.startsWith('digraph "demo" {')).toBe(true);
  });

  it('rejects conflicting options', async () => {
    const { code, stderr } = await runCli(['plan', '--force-recreate', '--no-recreate'], demo);
    expect(code).toBe(2);
    expect(stderr).toContain('--force-recreate and --no-recreate cannot be combined');
  });
});

describe('command lines of exec and run', () => {
  it('end their options at the service: what follows is the command, its own options and a leading -- included', async () => {
    const { parseArgs } = await import('../../src/cli/args.js');
    const specs = [{ name: 'user', short: 'u', value: true, description: '' }];
    expect(parseArgs(['-u', '1', 'web', 'sh', '-c', 'exit 3'], specs, { stopAfterPositionals: 1 })).toEqual({ options: { user: '1' }, positionals: ['web'], rest: ['sh', '-c', 'exit 3'] });
    expect(parseArgs(['web', '--', 'ls', '-u'], specs, { stopAfterPositionals: 1 }).rest).toEqual(['ls', '-u']);
  });
});
