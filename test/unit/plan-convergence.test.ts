import { describe, expect, it } from 'vitest';
import { LABEL, type ObservedState } from '../../src/planner/index.js';
import { checkedPlan, describePlan, loadFixtureProject, observedAfter } from '../helpers/plan.js';

const demo = () => loadFixtureProject('../../examples/demo');

describe('convergence with the engine', () => {
  it('changes nothing on a second up of an unchanged file', () => {
    const first = checkedPlan(demo());
    const second = checkedPlan(demo(), observedAfter(first));
    expect(second.operations).toEqual([]);
    expect(second.containers.every((c) => c.action === 'keep' && c.cause === 'unchanged')).toBe(true);
    expect(second.networks.every((n) => n.action === 'keep')).toBe(true);
  });

  it('starts a kept container that is not running, after its dependencies', () => {
    const first = checkedPlan(demo());
    const observed = observedAfter(first);
    observed.containers.find((c) => c.name === 'demo-web-1')!.state = 'exited';
    const result = checkedPlan(demo(), observed);
    expect(describePlan(result).split('operations:\n')[1]).toBe('wait-container:demo-api-1:healthy, web depends on api (service_healthy)\nstart-container:demo-web-1 <- wait-container:demo-api-1:healthy, not running\n');
  });

  it('recreates only the service whose configuration changed', () => {
    const first = checkedPlan(demo());
    const changed = demo();
    changed.services.worker!.environment.EXTRA = '1';
    const result = checkedPlan(changed, observedAfter(first));
    expect(result.containers.filter((c) => c.action !== 'keep').map((c) => [c.name, c.action, c.cause])).toEqual([['demo-worker-1', 'recreate', 'config hash changed']]);
    expect(result.operations.map((op) => `${op.kind} ${op.resource}`)).toEqual([
      'StopContainer container:demo-worker-1',
      'RemoveContainer container:demo-worker-1',
      'CreateContainer container:demo-worker-1',
      'StartContainer container:demo-worker-1',
    ]);
    // The engine applies the container's StopTimeout (stop_grace_period: 1s); -t overrides it.
    expect(result.operations[0]!.timeout).toBeUndefined();
    expect(checkedPlan(changed, observedAfter(first), { timeout: 5 }).operations[0]!.timeout).toBe(5);
  });

  it('recreates a container that shares the network stack of a recreated one', () => {
    const project = loadFixtureProject('network-modes');
    const first = checkedPlan(project);
    const changed = loadFixtureProject('network-modes');
    changed.services.app!.environment.CHANGED = 'yes';
    const result = checkedPlan(changed, observedAfter(first));
    expect(result.containers.filter((c) => c.action === 'recreate').map((c) => [c.service, c.cause])).toEqual([
      ['app', 'config hash changed'],
      ['sidecar', 'network_mode service:app is recreated'],
    ]);
  });

  it('connects an added network in place, without recreating', () => {
    const first = checkedPlan(demo());
    const changed = demo();
    changed.services.worker!.networks = { back: null, front: null };
    const result = checkedPlan(changed, observedAfter(first));
    expect(result.containers.find((c) => c.service === 'worker')!.action).toBe('keep');
    expect(result.operations.map((op) => `${op.kind} ${op.container} ${op.network} ${op.cause}`)).toEqual(['ConnectNetwork demo-worker-1 demo_front network added to service']);
    expect(result.operations[0]!.body).toMatchObject({ Container: 'demo-worker-1', EndpointConfig: { Aliases: ['demo-worker-1', 'worker'] } });
  });

  it('disconnects a removed network in place', () => {
    const first = checkedPlan(demo());
    const changed = demo();
    changed.services.api!.networks = { back: null };
    const result = checkedPlan(changed, observedAfter(first));
    expect(result.operations.map((op) => `${op.kind} ${op.container} ${op.network}`)).toEqual(['DisconnectNetwork demo-api-1 demo_front']);
  });

  it('recreates a drifted network and reconnects its containers without recreating them', () => {
    const first = checkedPlan(demo());
    const changed = demo();
    changed.networks.back!.driver_opts = { 'com.docker.network.driver.mtu': '1400' };
    const result = checkedPlan(changed, observedAfter(first));
    expect(result.networks.find((n) => n.key === 'back')).toMatchObject({ action: 'recreate', cause: 'config hash changed' });
    expect(result.containers.every((c) => c.action === 'keep')).toBe(true);
    expect(describePlan(result).split('operations:\n')[1]).toBe(
      [
        'stop-container:demo-api-1, network demo_back is recreated',
        'disconnect-network:demo-api-1:demo_back <- stop-container:demo-api-1, network demo_back is recreated',
        'stop-container:demo-db-1, network demo_back is recreated',
        'disconnect-network:demo-db-1:demo_back <- stop-container:demo-db-1, network demo_back is recreated',
        'stop-container:demo-worker-1, network demo_back is recreated',
        'disconnect-network:demo-worker-1:demo_back <- stop-container:demo-worker-1, network demo_back is recreated',
        'remove-network:demo_back <- disconnect-network:demo-api-1:demo_back disconnect-network:demo-db-1:demo_back disconnect-network:demo-worker-1:demo_back, config hash changed',
        'create-network:demo_back <- remove-network:demo_back, config hash changed',
        'connect-network:demo-api-1:demo_back <- create-network:demo_back, network demo_back is recreated',
        'start-container:demo-api-1 <- connect-network:demo-api-1:demo_back, network demo_back is recreated',
        'connect-network:demo-db-1:demo_back <- create-network:demo_back, network demo_back is recreated',
        'start-container:demo-db-1 <- connect-network:demo-db-1:demo_back, network demo_back is recreated',
        'connect-network:demo-worker-1:demo_back <- create-network:demo_back, network demo_back is recreated',
        'start-container:demo-worker-1 <- connect-network:demo-worker-1:demo_back, network demo_back is recreated',
        '',
      ].join('\n'),
    );
  });

  it('warns about an orphan, and removes it with --remove-orphans', () => {
    const first = checkedPlan(demo());
    const observed: ObservedState = observedAfter(first);
    observed.containers.push({ id: 'old', name: 'demo-legacy-1', labels: { [LABEL.project]: 'demo', [LABEL.service]: 'legacy', [LABEL.containerNumber]: '1' }, state: 'running', networks: {}, ports: [] });
    const kept = checkedPlan(demo(), observed);
    expect(kept.operations).toEqual([]);
    expect(kept.warnings).toEqual(['found orphan container "demo-legacy-1" of service "legacy", which is not in the compose file; run with --remove-orphans to remove it']);
    const removed = checkedPlan(demo(), observed, { removeOrphans: true });
    expect(removed.removals).toEqual([{ name: 'demo-legacy-1', service: 'legacy', existingId: 'old', action: 'remove', cause: 'orphan' }]);
    expect(removed.operations.map((op) => `${op.kind} ${op.container} ${op.cause}`)).toEqual(['StopContainer demo-legacy-1 orphan', 'RemoveContainer demo-legacy-1 orphan']);
  });

  it('COMPOSE_IGNORE_ORPHANS in the project environment silences the orphan warning, and cannot be combined with --remove-orphans', () => {
    const first = checkedPlan(demo());
    const observed: ObservedState = observedAfter(first);
    observed.containers.push({ id: 'old', name: 'demo-legacy-1', labels: { [LABEL.project]: 'demo', [LABEL.service]: 'legacy', [LABEL.containerNumber]: '1' }, state: 'running', networks: {}, ports: [] });
    const project = demo();
    project.environment = { ...project.environment, COMPOSE_IGNORE_ORPHANS: 'true' };
    const ignored = checkedPlan(project, observed);
    expect(ignored.warnings).toEqual([]);
    expect(ignored.operations).toEqual([]);
    expect(() => checkedPlan(project, observed, { removeOrphans: true })).toThrow('cannot combine COMPOSE_IGNORE_ORPHANS and --remove-orphans');
  });

  it('removes replicas beyond the scale', () => {
    const first = checkedPlan(loadFixtureProject('scale'));
    const smaller = loadFixtureProject('scale');
    smaller.services.worker!.scale = 1;
    const result = checkedPlan(smaller, observedAfter(first));
    expect(result.removals.map((c) => `${c.name} ${c.cause}`)).toEqual(['scale-worker-2 scaled down', 'scale-worker-3 scaled down']);
    expect(result.operations.map((op) => `${op.kind} ${op.container} ${op.cause}`)).toEqual([
      'StopContainer scale-worker-2 scaled down',
      'RemoveContainer scale-worker-2 scaled down',
      'StopContainer scale-worker-3 scaled down',
      'RemoveContainer scale-worker-3 scaled down',
    ]);
  });

  it('follows --force-recreate and --no-recreate', () => {
    const first = checkedPlan(demo());
    expect(checkedPlan(demo(), observedAfter(first), { forceRecreate: true }).containers.every((c) => c.action === 'recreate')).toBe(true);
    const changed = demo();
    changed.services.worker!.environment.EXTRA = '1';
    expect(checkedPlan(changed, observedAfter(first), { noRecreate: true }).operations).toEqual([]);
  });
});
