import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeEngine } from '../../src/engine/observed-state.js';
import { LABEL } from '../../src/planner/labels.js';
import type { ObservedState } from '../../src/planner/types.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';

const engine = await engineForTests();

const PROJECT = 'tscompose-obs-test';
const NETWORK = `${PROJECT}_front`;
const WEB = `${PROJECT}-web-1`;
const WORKER = `${PROJECT}-worker-1`;
const DECOY = 'tscompose-obs-decoy-web-1';
const CONTAINERS = [WEB, WORKER, DECOY];

/** Removes what an earlier, interrupted run may have left, and what this run made. */
async function removeTestResources(): Promise<void> {
  const { docker } = engine!;
  const gone = (error: { statusCode?: number }) => {
    if (error.statusCode !== 404) throw error;
  };
  for (const name of CONTAINERS) await docker.getContainer(name).remove({ force: true }).catch(gone);
  await docker.getNetwork(NETWORK).remove().catch(gone);
}

function serviceLabels(project: string, service: string): Record<string, string> {
  return { [LABEL.project]: project, [LABEL.service]: service, [LABEL.containerNumber]: '1' };
}

describe.skipIf(!engine)('observeEngine against the provisioned engine', () => {
  let snapshot: ObservedState;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const { docker } = engine!;
    await removeTestResources();
    await docker.createNetwork({
      Name: NETWORK,
      Labels: { [LABEL.project]: PROJECT, [LABEL.network]: 'front' },
      IPAM: { Driver: 'default', Config: [{ Subnet: '10.231.0.0/24' }] },
    });
    const web = await docker.createContainer({
      name: WEB,
      Image: TEST_IMAGE,
      Cmd: ['httpd', '-f', '-p', '80'],
      Labels: serviceLabels(PROJECT, 'web'),
      ExposedPorts: { '80/tcp': {} },
      HostConfig: { NetworkMode: NETWORK, PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '0' }] } },
      NetworkingConfig: { EndpointsConfig: { [NETWORK]: { Aliases: ['web', 'www'] } } },
    });
    // Created but never started: the engine gives it no address and no network membership yet.
    const worker = await docker.createContainer({
      name: WORKER,
      Image: TEST_IMAGE,
      Cmd: ['sleep', '300'],
      Labels: serviceLabels(PROJECT, 'worker'),
      HostConfig: { NetworkMode: NETWORK },
      NetworkingConfig: { EndpointsConfig: { [NETWORK]: { Aliases: ['worker'] } } },
    });
    // Another project on the same network, with an alias that must not be inspected.
    const decoy = await docker.createContainer({
      name: DECOY,
      Image: TEST_IMAGE,
      Cmd: ['sleep', '300'],
      Labels: serviceLabels('tscompose-obs-decoy', 'web'),
      HostConfig: { NetworkMode: NETWORK },
      NetworkingConfig: { EndpointsConfig: { [NETWORK]: { Aliases: ['decoy'] } } },
    });
    await web.start();
    await decoy.start();
    Object.assign(ids, { [WEB]: web.id, [WORKER]: worker.id, [DECOY]: decoy.id });
    snapshot = await observeEngine(engine!, PROJECT);
  }, 60_000);

  afterAll(async () => {
    await removeTestResources();
  }, 60_000);

  it('reports the engine API version and sorts by name', () => {
    expect(snapshot.apiVersion).toBe(engine!.apiVersion);
    const containerNames = snapshot.containers.map((container) => container.name);
    const networkNames = snapshot.networks.map((network) => network.name);
    expect(containerNames).toEqual([...containerNames].sort());
    expect(networkNames).toEqual([...networkNames].sort());
    expect(networkNames).toContain('bridge');
  });

  it("sees the project's network with its subnet, labels and started members", () => {
    const network = snapshot.networks.find((candidate) => candidate.name === NETWORK);
    expect(network).toMatchObject({
      driver: 'bridge',
      subnets: ['10.231.0.0/24'],
      labels: { [LABEL.project]: PROJECT, [LABEL.network]: 'front' },
    });
    expect(network!.containers).toContain(ids[WEB]);
    expect(network!.containers).toContain(ids[DECOY]);
    expect(network!.containers).not.toContain(ids[WORKER]);
  });

  it('sees the running container with its aliases and its published port', () => {
    const web = snapshot.containers.find((container) => container.name === WEB);
    expect(web).toMatchObject({ id: ids[WEB], state: 'running', labels: serviceLabels(PROJECT, 'web') });
    expect(web!.networks[NETWORK]!.aliases).toEqual(['web', 'www']);
    expect(web!.networks[NETWORK]!.ipv4Address).toMatch(/^10\.231\.0\.\d+$/);
    expect(web!.ports).toHaveLength(1);
    const [port] = web!.ports;
    expect(port).toMatchObject({ hostIp: '127.0.0.1', containerPort: 80, protocol: 'tcp' });
    expect(port!.hostPort).toBeGreaterThan(0);
  });

  it('sees a created container with its aliases but no address or ports', () => {
    const worker = snapshot.containers.find((container) => container.name === WORKER);
    expect(worker).toMatchObject({ state: 'created', ports: [], networks: { [NETWORK]: { aliases: ['worker'] } } });
    expect(worker!.networks[NETWORK]!.ipv4Address).toBeUndefined();
  });

  it("lists another project's container without inspecting it", () => {
    const decoy = snapshot.containers.find((container) => container.name === DECOY);
    expect(decoy).toMatchObject({ id: ids[DECOY], state: 'running', ports: [] });
    expect(decoy!.networks[NETWORK]!.aliases).toEqual([]);
    expect(decoy!.networks[NETWORK]!.ipv4Address).toMatch(/^10\.231\.0\.\d+$/);
  });
});
