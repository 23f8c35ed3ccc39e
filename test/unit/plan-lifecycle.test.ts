import { describe, expect, it } from 'vitest';
import { formatOperations, planLifecycle, type LifecycleCommand, type LifecycleOptions, type ObservedState } from '../../src/planner/index.js';
import { checkedPlan, loadFixtureProject, observedAfter } from '../helpers/plan.js';
import { assertValidPlan } from '../helpers/plan-schema.js';

const demo = () => loadFixtureProject('../../examples/demo');

/** The demo project as the engine holds it after up, with some containers in other states. */
function engine(states: Record<string, string> = {}): ObservedState {
  const observed = observedAfter(checkedPlan(demo()));
  for (const container of observed.containers) container.state = states[container.name] ?? 'running';
  return observed;
}

function planned(command: LifecycleCommand, observed: ObservedState, options: LifecycleOptions = {}, withModel = true): string {
  const result = planLifecycle(command, 'demo', observed, withModel ? demo() : undefined, options);
  assertValidPlan(JSON.parse(JSON.stringify(result)));
  return formatOperations(result.operations);
}

describe('lifecycle plans (start, stop, restart, kill, pause, unpause, rm)', () => {
  it('stops dependents first, only running containers, with -t when given', () => {
    expect(planned('stop', engine({ 'demo-worker-1': 'exited' }), { timeout: 3 })).toBe(
      ['stop-container:demo-web-1, stop', 'stop-container:demo-api-1 <- stop-container:demo-web-1, stop', 'stop-container:demo-db-1 <- stop-container:demo-api-1, stop'].join('\n'),
    );
    const stops = planLifecycle('stop', 'demo', engine(), demo(), {}).operations;
    expect(stops.every((op) => op.kind === 'StopContainer' && op.timeout === undefined)).toBe(true);
  });

  it('orders from the depends_on labels when there is no compose file', () => {
    expect(planned('stop', engine(), {}, false)).toBe(planned('stop', engine(), {}));
  });

  it('starts dependencies first and waits for the conditions depends_on asks', () => {
    expect(planned('start', engine({ 'demo-web-1': 'exited', 'demo-api-1': 'exited', 'demo-db-1': 'exited' }))).toBe(
      [
        'start-container:demo-db-1, start',
        'start-container:demo-api-1 <- start-container:demo-db-1, start',
        'wait-container:demo-api-1:healthy <- start-container:demo-api-1, web depends on api (service_healthy)',
        'start-container:demo-web-1 <- start-container:demo-api-1 wait-container:demo-api-1:healthy, start',
      ].join('\n'),
    );
  });

  it('restarts a service and what depends on it, unless --no-deps', () => {
    expect(planned('restart', engine(), { services: ['api'] })).toBe('restart-container:demo-api-1, restart\nrestart-container:demo-web-1 <- restart-container:demo-api-1, restart');
    expect(planned('restart', engine(), { services: ['api'], noDeps: true })).toBe('restart-container:demo-api-1, restart');
  });

  it('removes only stopped containers unless -s, which stops the running ones first', () => {
    const observed = engine({ 'demo-worker-1': 'exited' });
    expect(planned('rm', observed)).toBe('remove-container:demo-worker-1, rm');
    expect(planned('rm', observed, { stop: true, services: ['db', 'worker'] })).toBe(
      ['remove-container:demo-worker-1, rm', 'stop-container:demo-db-1 <- remove-container:demo-worker-1, rm --stop', 'remove-container:demo-db-1 <- remove-container:demo-worker-1 stop-container:demo-db-1, rm'].join('\n'),
    );
    expect(planLifecycle('rm', 'demo', observed, demo(), { removeVolumes: true }).operations[0]).toMatchObject({ kind: 'RemoveContainer', removeVolumes: true });
  });

  it('kills, pauses and unpauses each container in the right state, all at once', () => {
    const observed = engine({ 'demo-worker-1': 'paused', 'demo-db-1': 'exited' });
    expect(planned('kill', observed, { killSignal: 'SIGTERM' })).toBe(['kill-container:demo-api-1, kill', 'kill-container:demo-web-1, kill', 'kill-container:demo-worker-1, kill'].join('\n'));
    expect(planLifecycle('kill', 'demo', observed, demo(), { killSignal: 'SIGTERM' }).operations[0]).toMatchObject({ signal: 'SIGTERM' });
    expect(planned('pause', observed)).toBe('pause-container:demo-api-1, pause\npause-container:demo-web-1, pause');
    expect(planned('unpause', observed)).toBe('unpause-container:demo-worker-1, unpause');
  });

  it("leaves alone containers of other projects and run's one-off containers", () => {
    const observed = engine();
    observed.containers.push({ ...observed.containers[0]!, id: 'other', name: 'other-web-1', labels: { ...observed.containers[0]!.labels, 'com.docker.compose.project': 'other' } });
    observed.containers.push({ ...observed.containers[0]!, id: 'oneoff', name: 'demo-api-run-1', labels: { ...observed.containers[0]!.labels, 'com.docker.compose.oneoff': 'True' } });
    expect(planned('kill', observed)).not.toMatch(/other|run/);
  });
});

describe('up --scale and --no-deps', () => {
  it('--scale sets the replicas of a service over the file; --no-deps leaves out what the named services depend on', () => {
    const scaled = checkedPlan(demo(), undefined, { services: ['worker'], scale: { worker: 3 } });
    expect(scaled.containers.map((container) => container.name)).toEqual(['demo-db-1', 'demo-worker-1', 'demo-worker-2', 'demo-worker-3']);
    const alone = checkedPlan(demo(), undefined, { services: ['worker'], noDeps: true });
    expect(alone.containers.map((container) => container.name)).toEqual(['demo-worker-1']);
    expect(() => checkedPlan(demo(), undefined, { scale: { wrk: 2 } })).toThrow('--scale: no such service: wrk');
    expect(() => checkedPlan(demo(), undefined, { scale: { worker: 1_000_000 } })).toThrow('--scale worker=1000000: tscompose runs at most 10,000 containers of a service on one engine');
  });

  it('--always-recreate-deps recreates the unchanged dependencies of the services named, not them', () => {
    const observed = observedAfter(checkedPlan(demo()));
    const result = checkedPlan(demo(), observed, { services: ['worker'], alwaysRecreateDeps: true });
    expect(result.containers.map((container) => [container.name, container.action, container.cause])).toEqual([
      ['demo-db-1', 'recreate', '--always-recreate-deps'],
      ['demo-worker-1', 'keep', 'unchanged'],
    ]);
  });
});
