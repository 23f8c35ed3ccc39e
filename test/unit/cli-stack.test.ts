import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';
import { assertValidStackPlan } from '../helpers/plan-schema.js';

const dir = fixture('valid', 'stack');

describe('tscompose stack without an engine', () => {
  let previous: string | undefined;
  beforeEach(() => {
    previous = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = previous;
  });

  it('deploy --dry-run plans from empty state, as a table', async () => {
    const { code, stdout, stderr } = await runCli(['stack', 'deploy', '--resolve-image', 'never', '--dry-run', 'shop'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('Plan for stack shop (swarm, planned from empty state)');
    expect(stdout).toMatch(/shop_web\s+replicated ×1\s+create\s+not found\s+shop_back \(web\); shop_front \(web, www\)\s+18080->80\/tcp host/);
    expect(stdout).toMatch(/^create-service:shop_web <- create-network:shop_back create-network:shop_front create-secret:shop_token-[0-9a-f]{12} create-config:shop_motd-[0-9a-f]{12}, not found$/m);
    expect(stderr).toContain('a swarm ignores these service keys: container_name (agent), depends_on (agent)');
    expect(stderr).toContain('planning from empty state');
  });

  it('deploy --dry-run --format json prints the plan of the schema', async () => {
    const { code, stdout } = await runCli(['stack', 'deploy', '-c', 'compose.yaml', '--resolve-image=never', '--dry-run', '--format', 'json', 'shop'], dir);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    assertValidStackPlan(plan);
    expect(plan.target).toBe('swarm');
    expect(plan.operations).toHaveLength(7);
  });

  it('config prints the model with the stack name as project name; usage errors name the subcommands', async () => {
    const { code, stdout } = await runCli(['stack', 'config', '--format', 'json', 'shop'], dir);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).networks.back.name).toBe('shop_back');
    const unknown = await runCli(['stack', 'up', 'shop'], dir);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('use one of deploy, ls, ps, services, rm, config')]);
    expect((await runCli(['stack', 'deploy', '--detach=maybe', 'shop'], dir)).stderr).toContain('option --detach takes no value (or =true, =false)');
  });

  it('graph --stack draws the overlay networks, the services with their mode, and the published ports', async () => {
    const { code, stdout } = await runCli(['graph', '--stack', 'shop'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('net_shop_front{{"shop_front<br/>driver overlay"}}');
    expect(stdout).toContain('ctr_shop_api["shop_api<br/>replicated ×2"]');
    expect(stdout).toContain('ctr_shop_web ---|"web, www"| net_shop_front');
    expect(stdout).toContain('host -->|"18080 → 80/tcp (host mode)"| ctr_shop_web');
  });
});
