import { describe, expect, it } from 'vitest';
import { formatOperations } from '../../src/planner/index.js';
import { checkedPlan, describePlan, loadFixtureProject, observedAfter } from '../helpers/plan.js';
import { fixture } from '../helpers/fixtures.js';

/** Golden plans: the plan of each fixture from empty state, compared with plan.golden.txt beside it. */
const GOLDEN = ['minimal', 'multi-network', 'network-modes', 'ports', 'links', 'scale'];

describe('golden plans from empty state', () => {
  it.each(GOLDEN)('%s', async (name) => {
    const result = checkedPlan(loadFixtureProject(name, { environment: { LOG_LEVEL: 'debug' } }));
    await expect(describePlan(result)).toMatchFileSnapshot(fixture('valid', name, 'plan.golden.txt'));
  });

  it('multi-network after a change: each recreate says what changed, a secret only by name', async () => {
    const before = checkedPlan(loadFixtureProject('multi-network', { environment: { LOG_LEVEL: 'info', DB_PASSWORD: 'first' } }));
    const observed = observedAfter(before);
    observed.networks.push({ id: 'net-company-shared', name: 'company-shared', labels: {}, driver: 'bridge', subnets: [], containers: [] });
    const changed = loadFixtureProject('multi-network', { environment: { LOG_LEVEL: 'debug' }, files: ['compose.yaml', 'compose.changed.yaml'] });
    await expect(describePlan(checkedPlan(changed, observed))).toMatchFileSnapshot(fixture('valid', 'multi-network', 'plan-changed.golden.txt'));
  });

  it('examples/demo, on API 1.41 and on API 1.44', async () => {
    const project = loadFixtureProject('../../examples/demo');
    await expect(describePlan(checkedPlan(project))).toMatchFileSnapshot(fixture('..', 'examples', 'demo', 'plan.golden.txt'));
    const modern = checkedPlan(project, undefined, { apiVersion: '1.44' });
    expect(modern.operations.some((op) => op.kind === 'ConnectNetwork')).toBe(false);
    const api = modern.containers.find((c) => c.service === 'api')!;
    expect(Object.keys(api.request.NetworkingConfig.EndpointsConfig)).toEqual(['demo_back', 'demo_front']);
  });
});

describe('planning rules', () => {
  it('creates a container on one network and connects the others before start on API 1.41', () => {
    const result = checkedPlan(loadFixtureProject('multi-network', { environment: {} }));
    const api = result.containers.find((c) => c.service === 'api')!;
    expect(api.request.HostConfig.NetworkMode).toBe('shop_back');
    expect(Object.keys(api.request.NetworkingConfig.EndpointsConfig)).toEqual(['shop_back']);
    const connect = result.operations.find((op) => op.kind === 'ConnectNetwork' && op.container === api.name)!;
    const start = result.operations.find((op) => op.kind === 'StartContainer' && op.container === api.name)!;
    expect(start.dependsOn).toContain(connect.id);
  });

  it('starts each container as soon as its own dependencies are met, with waits for the conditions', () => {
    const result = checkedPlan(loadFixtureProject('multi-network', { environment: {} }));
    const byId = new Map(result.operations.map((op) => [op.id, op]));
    const startApi = result.operations.find((op) => op.kind === 'StartContainer' && op.container === 'shop-api-1')!;
    const waits = startApi.dependsOn.map((id) => byId.get(id)!).filter((op) => op.kind === 'WaitContainer');
    expect(waits.map((op) => [op.container, op.condition])).toEqual([['shop-db-1', 'healthy']]);
    const startProxy = result.operations.find((op) => op.kind === 'StartContainer' && op.container === 'shop-proxy-1')!;
    // proxy has no dependencies: it waits for nothing but its own creation.
    expect(startProxy.dependsOn.map((id) => byId.get(id)!.kind)).toEqual(['CreateContainer']);
  });

  it('lists every dependency before the operation that needs it', () => {
    for (const name of GOLDEN) {
      const result = checkedPlan(loadFixtureProject(name, { environment: {} }));
      const position = new Map(result.operations.map((op, index) => [op.id, index]));
      for (const op of result.operations) for (const dependency of op.dependsOn) expect(position.get(dependency)).toBeLessThan(position.get(op.id)!);
    }
  });

  it('plans a subset of services with what they need', () => {
    const result = checkedPlan(loadFixtureProject('multi-network', { environment: {} }), undefined, { services: ['api'] });
    expect(result.containers.map((c) => c.service)).toEqual(['db', 'api']);
    expect(result.networks.map((n) => n.key)).toEqual(['front', 'back']);
  });

  it('names a service that does not exist', () => {
    expect(() => checkedPlan(loadFixtureProject('minimal'), undefined, { services: ['wbe'] })).toThrow('no such service: wbe');
  });

  it('marks the wait for a required: false dependency optional', () => {
    const project = loadFixtureProject('../engine/optional-dependency');
    const waits = checkedPlan(project).operations.filter((op) => op.kind === 'WaitContainer');
    expect(formatOperations(waits)).toMatch(/^wait-container:optional-dependency-migrate-1:exited-successfully:optional <- .*, app depends on migrate \(service_completed_successfully, required: false\)\nwait-container:optional-dependency-migrate-1:exited-successfully <- .*, strict depends on migrate \(service_completed_successfully\)$/);
    expect(waits.map((op) => op.optional)).toEqual([true, undefined]);
  });

  it('creates nothing with --no-start beyond the containers', () => {
    const result = checkedPlan(loadFixtureProject('minimal'), undefined, { noStart: true });
    expect(result.operations.map((op) => op.kind)).toEqual(['CreateNetwork', 'PullImage', 'CreateContainer']);
  });
});
