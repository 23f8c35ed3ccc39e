import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../src/cli/plan-view.js';
import { LABEL, planDown, type ObservedState } from '../../src/planner/index.js';
import { checkedPlan, describePlan, loadFixtureProject, observedAfter } from '../helpers/plan.js';
import { assertValidPlan } from '../helpers/plan-schema.js';

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
    expect(result.containers.filter((c) => c.action !== 'keep').map((c) => [c.name, c.action, c.cause])).toEqual([['demo-worker-1', 'recreate', 'environment.EXTRA: (none) → "1"']]);
    expect(result.operations.map((op) => `${op.kind} ${op.resource}`)).toEqual([
      'StopContainer container:demo-worker-1',
      'RemoveContainer container:demo-worker-1',
      'CreateContainer container:demo-worker-1',
      'StartContainer container:demo-worker-1',
    ]);
    // The new container gets new anonymous volumes: the old container's go with it, not left unlabelled on the engine.
    expect(result.operations[1]).toMatchObject({ kind: 'RemoveContainer', removeVolumes: true });
    // The engine applies the container's StopTimeout (stop_grace_period: 1s); -t overrides it.
    expect(result.operations[0]).toMatchObject({ kind: 'StopContainer', timeout: undefined });
    expect(checkedPlan(changed, observedAfter(first), { timeout: 5 }).operations[0]).toMatchObject({ kind: 'StopContainer', timeout: 5 });
  });

  it('keeps the anonymous volumes of a container removed as scaled down, as compose and down without -v do', () => {
    const first = checkedPlan(demo(), undefined, { scale: { worker: 2 } });
    const result = checkedPlan(demo(), observedAfter(first));
    const removal = result.operations.find((op) => op.kind === 'RemoveContainer');
    expect(removal).toMatchObject({ container: 'demo-worker-2', cause: 'scaled down' });
    expect(removal).not.toHaveProperty('removeVolumes');
  });

  it('recreates a container that shares the network stack of a recreated one', () => {
    const project = loadFixtureProject('network-modes');
    const first = checkedPlan(project);
    const changed = loadFixtureProject('network-modes');
    changed.services.app!.environment.CHANGED = 'yes';
    const result = checkedPlan(changed, observedAfter(first));
    expect(result.containers.filter((c) => c.action === 'recreate').map((c) => [c.service, c.cause])).toEqual([
      ['app', 'environment.CHANGED: (none) → "yes"'],
      ['sidecar', 'network_mode service:app is recreated'],
    ]);
  });

  it('connects an added network in place, without recreating', () => {
    const first = checkedPlan(demo());
    const changed = demo();
    changed.services.worker!.networks = { back: null, front: null };
    const result = checkedPlan(changed, observedAfter(first));
    expect(result.containers.find((c) => c.service === 'worker')!.action).toBe('keep');
    expect(result.operations.map((op) => `${op.id} ${op.cause}`)).toEqual(['connect-network:demo-worker-1:demo_front network added to service']);
    expect(result.operations[0]).toMatchObject({ body: { Container: 'demo-worker-1', EndpointConfig: { Aliases: ['demo-worker-1', 'worker'] } } });
  });

  it('disconnects a removed network in place', () => {
    const first = checkedPlan(demo());
    const changed = demo();
    changed.services.api!.networks = { back: null };
    const result = checkedPlan(changed, observedAfter(first));
    expect(result.operations.map((op) => op.id)).toEqual(['disconnect-network:demo-api-1:demo_front']);
  });

  it('recreates a drifted network and reconnects its containers without recreating them', () => {
    const first = checkedPlan(demo());
    const changed = demo();
    changed.networks.back!.driver_opts = { 'com.docker.network.driver.mtu': '1400' };
    const result = checkedPlan(changed, observedAfter(first));
    expect(result.networks.find((n) => n.key === 'back')).toMatchObject({ action: 'recreate', cause: 'driver_opts["com.docker.network.driver.mtu"]: (none) → "1400"' });
    expect(result.containers.map((c) => `${c.name}: ${c.action}, ${c.cause}`)).toEqual([
      'demo-db-1: keep, unchanged; reconnected to recreated network demo_back without a restart',
      'demo-api-1: keep, unchanged; reconnected to recreated network demo_back without a restart',
      'demo-web-1: keep, unchanged',
      'demo-worker-1: keep, unchanged; reconnected to recreated network demo_back without a restart',
    ]);
    expect(describePlan(result).split('operations:\n')[1]).toBe(
      [
        'disconnect-network:demo-api-1:demo_back, network demo_back is recreated; reconnected without a restart',
        'disconnect-network:demo-db-1:demo_back, network demo_back is recreated; reconnected without a restart',
        'disconnect-network:demo-worker-1:demo_back, network demo_back is recreated; reconnected without a restart',
        'remove-network:demo_back <- disconnect-network:demo-api-1:demo_back disconnect-network:demo-db-1:demo_back disconnect-network:demo-worker-1:demo_back, driver_opts["com.docker.network.driver.mtu"]: (none) → "1400"',
        'create-network:demo_back <- remove-network:demo_back, driver_opts["com.docker.network.driver.mtu"]: (none) → "1400"',
        'connect-network:demo-api-1:demo_back <- create-network:demo_back, network demo_back is recreated; reconnected without a restart',
        'connect-network:demo-db-1:demo_back <- create-network:demo_back, network demo_back is recreated; reconnected without a restart',
        'connect-network:demo-worker-1:demo_back <- create-network:demo_back, network demo_back is recreated; reconnected without a restart',
        '',
      ].join('\n'),
    );
  });

  it('reconnects to a recreated network with the same aliases and static address, and leaves off a container that no longer uses it', () => {
    const project = () => {
      const p = demo();
      p.networks.back!.ipam = { config: [{ subnet: '10.231.0.0/24' }] };
      p.services.db!.networks = { back: { aliases: ['database'], ipv4_address: '10.231.0.5' } };
      return p;
    };
    const first = checkedPlan(project());
    const changed = project();
    changed.networks.back!.labels = { tier: 'data' };
    changed.services.worker!.networks = { front: null };
    const result = checkedPlan(changed, observedAfter(first));
    const connects = result.operations.filter((op) => op.kind === 'ConnectNetwork');
    expect(connects.map((op) => op.id).sort()).toEqual(['connect-network:demo-api-1:demo_back', 'connect-network:demo-db-1:demo_back', 'connect-network:demo-worker-1:demo_front']);
    expect(connects.find((op) => op.id === 'connect-network:demo-db-1:demo_back')).toMatchObject({ body: { Container: 'demo-db-1', EndpointConfig: { Aliases: ['demo-db-1', 'db', 'database'], IPAMConfig: { IPv4Address: '10.231.0.5' } } } });
    expect(result.operations.some((op) => op.kind === 'StopContainer' || op.kind === 'StartContainer')).toBe(false);
    expect(result.operations.filter((op) => op.kind === 'DisconnectNetwork').map((op) => op.id)).toEqual(['disconnect-network:demo-api-1:demo_back', 'disconnect-network:demo-db-1:demo_back', 'disconnect-network:demo-worker-1:demo_back']);
  });

  it('connects a kept container to a network created in the same plan', () => {
    const first = checkedPlan(demo());
    const changed = demo();
    changed.networks.extra = { name: 'demo_extra' };
    changed.services.worker!.networks = { back: null, extra: { aliases: ['jobs'] } };
    const result = checkedPlan(changed, observedAfter(first));
    expect(describePlan(result).split('operations:\n')[1]).toBe(
      ['create-network:demo_extra, not found', 'connect-network:demo-worker-1:demo_extra <- create-network:demo_extra, network added to service', ''].join('\n'),
    );
    expect(result.operations[1]).toMatchObject({ body: { EndpointConfig: { Aliases: ['demo-worker-1', 'worker', 'jobs'] } } });
    expect(checkedPlan(changed, observedAfter(result)).operations).toEqual([]);
  });

  it('shows the host port the engine assigned to a kept container', () => {
    const first = checkedPlan(demo());
    const observed = observedAfter(first);
    observed.containers.find((c) => c.name === 'demo-api-1')!.ports = [{ hostIp: '127.0.0.1', hostPort: 49154, containerPort: 3000, protocol: 'tcp' }];
    const api = checkedPlan(demo(), observed).containers.find((c) => c.name === 'demo-api-1')!;
    expect(api.ports.map((port) => port.fromHost)).toEqual(['127.0.0.1:49154']);
    expect(checkedPlan(demo()).containers.find((c) => c.name === 'demo-api-1')!.ports.map((port) => port.fromHost)).toEqual(['127.0.0.1:<random>']);
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
    expect(removed.operations.map((op) => `${op.id} ${op.cause}`)).toEqual(['stop-container:demo-legacy-1 orphan', 'remove-container:demo-legacy-1 orphan']);
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
    expect(result.operations.map((op) => `${op.id} ${op.cause}`)).toEqual([
      'stop-container:scale-worker-2 scaled down',
      'remove-container:scale-worker-2 scaled down',
      'stop-container:scale-worker-3 scaled down',
      'remove-container:scale-worker-3 scaled down',
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

describe('the plan of down', () => {
  it('lists what down removes as a table, in the order down runs it', () => {
    const observed = observedAfter(checkedPlan(demo()));
    observed.volumes = [{ name: 'demo_data', labels: { [LABEL.project]: 'demo', [LABEL.volume]: 'data' } }];
    const planned = planDown('demo', observed, demo(), { removeVolumes: true });
    assertValidPlan(JSON.parse(JSON.stringify(planned)));
    const table = renderPlan(planned).replace(/\x1b\[[0-9;]*m/g, '');
    expect(table).toMatch(/demo_back\s+bridge\s+-\s+remove\s+down/);
    expect(table).toMatch(/demo_data\s+remove\s+down -v/);
    expect(table).toMatch(/demo-api-1\s+api\s+remove\s+\(down\)/);
    expect(table).toContain('stop-container:demo-api-1 <- stop-container:demo-web-1, down');
    expect(table).toContain('remove-volume:demo_data <- ');
  });
});
