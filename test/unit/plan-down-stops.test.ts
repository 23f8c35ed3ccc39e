import { describe, expect, it } from 'vitest';
import { planDown, STOPS_PER_NETWORK } from '../../src/planner/plan-down.js';
import { planLifecycle } from '../../src/planner/plan-lifecycle.js';
import type { ObservedContainer, ObservedState } from '../../src/planner/types.js';

const PROJECT = 'many';
const container = (index: number, networks: string[]): ObservedContainer => ({
  id: `id${String(index).padStart(3, '0')}`,
  name: `${PROJECT}-s${index}-1`,
  labels: { 'com.docker.compose.project': PROJECT, 'com.docker.compose.service': `s${index}` },
  state: 'running',
  networks: Object.fromEntries(networks.map((network) => [network, { aliases: [] }])),
  ports: [],
});
const observed = (containers: ObservedContainer[]): ObservedState => ({
  apiVersion: '1.41',
  containers,
  networks: [{ id: 'net', name: `${PROJECT}_default`, labels: { 'com.docker.compose.project': PROJECT }, driver: 'bridge', subnets: [], containers: containers.map((c) => c.id) }],
  volumes: [],
  observedAt: '2026-01-01T00:00:00Z',
});

describe('down of many containers on one network', () => {
  it(`stops at most ${STOPS_PER_NETWORK} of them at once: each stop waits for the one ${STOPS_PER_NETWORK} places before it`, () => {
    const containers = Array.from({ length: 20 }, (_, index) => container(index, [`${PROJECT}_default`]));
    const stops = planDown(PROJECT, observed(containers)).operations.filter((operation) => operation.kind === 'StopContainer');
    expect(stops).toHaveLength(20);
    stops.forEach((stop, index) => expect(stop.dependsOn).toEqual(index < STOPS_PER_NETWORK ? [] : [stops[index - STOPS_PER_NETWORK]!.id]));
  });

  it('leaves containers of different networks to stop at once', () => {
    const containers = Array.from({ length: 2 * STOPS_PER_NETWORK }, (_, index) => container(index, [`${PROJECT}_n${index}`]));
    const stops = planDown(PROJECT, observed(containers)).operations.filter((operation) => operation.kind === 'StopContainer');
    expect(stops.every((stop) => stop.dependsOn.length === 0)).toBe(true);
  });
});

// The same engine fault hit a stop of 40 containers after Ctrl-C or SIGTERM of a foreground up
// (the lifecycle stop plan): every plan that stops containers goes in the same lanes.
describe.each([
  ['stop', 'StopContainer', {}],
  ['rm', 'StopContainer', { stop: true }],
  ['restart', 'RestartContainer', {}],
] as const)('%s of many containers on one network', (command, kind, options) => {
  it(`stops at most ${STOPS_PER_NETWORK} of them at once`, () => {
    const containers = Array.from({ length: 20 }, (_, index) => container(index, [`${PROJECT}_default`]));
    const stops = planLifecycle(command, PROJECT, observed(containers), undefined, options).operations.filter((operation) => operation.kind === kind);
    expect(stops).toHaveLength(20);
    stops.forEach((stop, index) => expect(stop.dependsOn).toEqual(index < STOPS_PER_NETWORK ? [] : [stops[index - STOPS_PER_NETWORK]!.id]));
  });
});

describe('down after two concurrent ups', () => {
  it('removes each of two networks of one name by id', () => {
    const state = observed([container(0, [`${PROJECT}_default`])]);
    state.networks.push({ ...state.networks[0]!, id: 'net2', containers: [] });
    const removals = planDown(PROJECT, state).operations.filter((operation) => operation.kind === 'RemoveNetwork');
    expect(removals.map((operation) => operation.network)).toEqual(['net', 'net2']);
  });
});
