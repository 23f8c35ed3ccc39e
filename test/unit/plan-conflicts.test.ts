import { describe, expect, it } from 'vitest';
import { LABEL, type ObservedState } from '../../src/planner/index.js';
import { load } from '../../src/loader/index.js';
import { tempProject } from '../helpers/fixtures.js';
import { checkedPlan, loadFixtureProject, observedAfter } from '../helpers/plan.js';

const demo = () => loadFixtureProject('../../examples/demo');
const empty = (): ObservedState => ({ apiVersion: '1.41', containers: [], networks: [] });

describe('conflicts found before anything is created', () => {
  it('a host port published by a container of another project', () => {
    const observed = empty();
    observed.containers.push({ id: 'x', name: 'other-web-1', labels: { [LABEL.project]: 'other' }, state: 'running', networks: {}, ports: [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }] });
    const result = checkedPlan(demo(), observed);
    expect(result.operations).toEqual([]);
    expect(result.conflicts).toEqual([
      {
        kind: 'port-in-use',
        resource: 'container:demo-web-1',
        message: 'host port 127.0.0.1:8080/tcp for demo-web-1 is already published by container "other-web-1" of project "other" (0.0.0.0:8080)',
        holder: { kind: 'container', name: 'other-web-1', project: 'other' },
      },
    ]);
  });

  it('no conflict with a port on another address, or with our own container that is recreated', () => {
    const observed = empty();
    observed.containers.push({ id: 'x', name: 'other', labels: {}, state: 'running', networks: {}, ports: [{ hostIp: '127.0.0.2', hostPort: 8080, containerPort: 80, protocol: 'tcp' }] });
    expect(checkedPlan(demo(), observed).conflicts).toEqual([]);
    const first = checkedPlan(demo());
    expect(checkedPlan(demo(), observedAfter(first), { forceRecreate: true }).conflicts).toEqual([]);
  });

  it('a container_name already taken', () => {
    const project = demo();
    project.services.db!.container_name = 'shared-db';
    const observed = empty();
    observed.containers.push({ id: 'x', name: 'shared-db', labels: {}, state: 'exited', networks: {}, ports: [] });
    const [conflict] = checkedPlan(project, observed).conflicts;
    expect(conflict).toMatchObject({ kind: 'container-name-taken', message: 'container name "shared-db" (services.db) is already taken by container "shared-db"' });
  });

  it('an explicit subnet that overlaps an existing network', () => {
    const project = loadFixtureProject('multi-network', { environment: {} });
    const observed = empty();
    observed.networks.push({ id: 'n', name: 'corp', labels: {}, driver: 'bridge', subnets: ['10.8.0.0/16'], containers: [] });
    observed.networks.push({ id: 'e', name: 'company-shared', labels: {}, driver: 'bridge', subnets: [], containers: [] });
    expect(checkedPlan(project, observed).conflicts.map((c) => c.message)).toEqual(['subnet 10.8.0.0/24 of network "shop_back" overlaps 10.8.0.0/16 of existing network "corp"']);
  });

  it('a network of the same name that this project does not own', () => {
    const observed = empty();
    observed.networks.push({ id: 'n', name: 'demo_front', labels: { [LABEL.project]: 'intruder' }, driver: 'bridge', subnets: [], containers: [] });
    const result = checkedPlan(demo(), observed);
    expect(result.operations).toEqual([]);
    expect(result.conflicts[0]).toMatchObject({ kind: 'foreign-network', holder: { kind: 'network', name: 'demo_front', project: 'intruder' } });
    expect(result.conflicts[0]!.message).toContain('tscompose never removes a network it does not own');
  });

  it('an external network that does not exist, but only when the engine was asked', () => {
    const project = loadFixtureProject('multi-network', { environment: {} });
    project.services.proxy!.networks = { front: null, shared: null };
    expect(checkedPlan(project, empty()).conflicts.map((c) => c.kind)).toEqual(['external-network-missing']);
    expect(checkedPlan(project).conflicts).toEqual([]);
  });

  it('a per-network mac_address, gw_priority or interface_name the engine cannot honour, naming service, network and API version', () => {
    const project = demo();
    project.services.api!.networks = { front: { aliases: ['backend'], mac_address: '02:42:ac:11:00:02' }, back: { mac_address: '02:42:ac:11:00:03', gw_priority: 1, interface_name: 'data0' } };
    const result = checkedPlan(project, empty());
    expect(result.operations).toEqual([]);
    expect(result.conflicts.map((c) => [c.kind, c.resource, c.message])).toEqual([
      ['unsupported-setting', 'service:api', 'services.api.networks.front.mac_address needs Engine API 1.44; the engine speaks 1.41, where a MAC address can only be set on the network the container is created on (back)'],
      ['unsupported-setting', 'service:api', 'services.api.networks.back.gw_priority needs Engine API 1.48; the engine speaks 1.41, where the gateway is that of the network the container is created on'],
      ['unsupported-setting', 'service:api', 'services.api.networks.back.interface_name needs Engine API 1.48; the engine speaks 1.41, where the engine names interfaces eth0, eth1… itself'],
    ]);
    const modern = checkedPlan(project, { ...empty(), apiVersion: '1.48' });
    expect(modern.conflicts).toEqual([]);
    const api = modern.containers.find((c) => c.service === 'api')!;
    expect(api.request.NetworkingConfig.EndpointsConfig).toMatchObject({ demo_front: { MacAddress: '02:42:ac:11:00:02' }, demo_back: { MacAddress: '02:42:ac:11:00:03', GwPriority: 1, DriverOpts: { 'com.docker.network.endpoint.ifname': 'data0' } } });
  });

  it('a mac_address on the network a container is created on is honoured below API 1.44', () => {
    const project = demo();
    project.services.db!.networks = { back: { mac_address: '02:42:ac:11:00:09' } };
    const result = checkedPlan(project, empty());
    expect(result.conflicts).toEqual([]);
    expect(result.containers.find((c) => c.service === 'db')!.request.MacAddress).toBe('02:42:ac:11:00:09');
  });

  // Valid compose (config accepts it; a swarm publishes such ports through its routing mesh), but one engine binds a host port once.
  it('replicas of a service that publish one fixed host port', () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  web:\n    image: x\n    deploy: {replicas: 2}\n    ports: ["8080:80", "9000-9001:90", "0:91"]\n' }, 'replicas');
    const result = checkedPlan(load({ workingDir: dir, environment: {} }).project, empty());
    expect(result.operations).toEqual([]);
    expect(result.conflicts).toEqual([
      {
        kind: 'port-in-use',
        resource: 'container:replicas-web-2',
        message: 'host port 8080/tcp for replicas-web-2 (services.web) is also published by replicas-web-1 (services.web); one engine binds a host port once: publish a range of host ports, one per replica, or leave the host port out',
        holder: { kind: 'container', name: 'replicas-web-1' },
      },
    ]);
  });

  it('two services that inherit one host port through extends', () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  base: {image: x, ports: ["127.0.0.1:8090:80"]}\n  a: {extends: base}\n  b: {extends: base, ports: ["8091:81"]}\n' }, 'inherit');
    const result = checkedPlan(load({ workingDir: dir, environment: {} }).project, empty());
    expect(result.conflicts.map((c) => c.message.split(';')[0])).toEqual([
      'host port 127.0.0.1:8090/tcp for inherit-a-1 (services.a) is also published by inherit-base-1 (services.base)',
      'host port 127.0.0.1:8090/tcp for inherit-b-1 (services.b) is also published by inherit-base-1 (services.base)',
    ]);
  });
});
