import { describe, expect, it } from 'vitest';
import { flattenErrors } from '../../src/errors.js';
import { load, toComposeJson } from '../../src/loader/index.js';
import { planRun, type ContainerCreateRequest, type PlanOptions } from '../../src/planner/index.js';
import { tempProject } from '../helpers/fixtures.js';
import { checkedPlan, observedAfter } from '../helpers/plan.js';

/** A project of the given services (YAML under `services:`), as the loader reads it. */
function project(services: string, environment: Record<string, string> = {}) {
  return load({ workingDir: tempProject({ 'compose.yaml': `services:\n${services}` }, 'create'), environment }).project;
}

/** The create request of a service's first container, planned from empty state. */
function request(services: string, service = 'app', options: PlanOptions = {}): ContainerCreateRequest {
  const result = checkedPlan(project(services), undefined, options);
  expect(result.conflicts).toEqual([]);
  return result.containers.find((container) => container.service === service)!.request;
}

describe('resource amounts are read at load, as compose-go reads them', () => {
  it('byte sizes with a 1024-based unit, a plain number or -1 become bytes', () => {
    const app = project('  app: {image: x, mem_limit: 512m, memswap_limit: -1, mem_reservation: "1.5g", shm_size: 65536}\n').services.app!;
    expect(app).toMatchObject({ mem_limit: 536870912, memswap_limit: -1, mem_reservation: 1610612736, shm_size: 65536 });
    expect(project('  app: {image: x, shm_size: 64MB, mem_limit: 2kib}\n').services.app).toMatchObject({ shm_size: 67108864, mem_limit: 2048 });
  });

  it('an interpolated byte size or CPU count too', () => {
    const app = project('  app: {image: x, mem_limit: "${MEM}", cpus: "${CPUS}"}\n', { MEM: '256m', CPUS: '1.5' }).services.app!;
    expect(app).toMatchObject({ mem_limit: 268435456, cpus: 1.5 });
  });

  it('a size that is not one is refused where it is written', () => {
    expect(() => project('  app: {image: x, mem_limit: 512x}\n')).toThrow(/services\.app\.mem_limit: "512x" is not a byte size/);
    expect(() => project('  app: {image: x, cpus: lots}\n')).toThrow(/services\.app\.cpus: "lots" is not a number of CPUs/);
  });

  it('deploy.resources amounts, blkio rates and real-time scheduler durations', () => {
    const app = project([
      '  app:',
      '    image: x',
      '    cpu_rt_runtime: 950ms',
      '    cpu_rt_period: 1000000',
      '    blkio_config: {device_read_bps: [{path: /dev/sda, rate: 12mb}], device_write_iops: [{path: /dev/sda, rate: "120"}]}',
      '    deploy: {resources: {limits: {cpus: "0.25", memory: 64M}, reservations: {memory: 32m}}}',
      '',
    ].join('\n')).services.app!;
    expect(app).toMatchObject({ cpu_rt_runtime: 950000, cpu_rt_period: 1000000 });
    expect(app.blkio_config).toEqual({ device_read_bps: [{ path: '/dev/sda', rate: 12582912 }], device_write_iops: [{ path: '/dev/sda', rate: 120 }] });
    expect(app.deploy).toEqual({ resources: { limits: { cpus: 0.25, memory: 67108864 }, reservations: { memory: 33554432 } } });
  });

  it('devices in long form; gpus: all and a device request without count or ids are for all devices', () => {
    const app = project('  app:\n    image: x\n    devices: [/dev/fuse, "/dev/sda:/dev/xvda:r", {source: /dev/null, target: /dev/n}]\n    gpus: all\n    deploy: {resources: {reservations: {devices: [{capabilities: [gpu]}, {capabilities: [gpu], count: 2, driver: nvidia}]}}}\n').services.app!;
    expect(app.devices).toEqual([
      { source: '/dev/fuse', target: '/dev/fuse', permissions: 'rwm' },
      { source: '/dev/sda', target: '/dev/xvda', permissions: 'r' },
      { source: '/dev/null', target: '/dev/n' },
    ]);
    expect(app.gpus).toEqual([{ count: -1 }]);
    expect(app.deploy).toEqual({ resources: { reservations: { devices: [{ capabilities: ['gpu'], count: -1 }, { capabilities: ['gpu'], count: 2, driver: 'nvidia' }] } } });
    expect(() => project('  app: {image: x, devices: ["/a:/b:rw:x"]}\n')).toThrow(/confusing device mapping/);
  });

  it('a key and its deploy.resources twin with different values are refused, as compose-go refuses them; the same value is fine', () => {
    expect(() => project('  app: {image: x, mem_limit: 512m, deploy: {resources: {limits: {memory: 256m}}}}\n')).toThrow("services.app: can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory'");
    expect(() => project('  app: {image: x, cpus: 1, deploy: {resources: {limits: {cpus: "0.5"}}}}\n')).toThrow("can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus'");
    const both = (() => {
      try {
        project('  app: {image: x, pids_limit: 10, mem_reservation: 1m, deploy: {resources: {limits: {pids: 20}, reservations: {memory: 2m}}}}\n');
      } catch (error) {
        return flattenErrors(error).map((each) => (each as Error).message);
      }
    })();
    expect(both).toEqual([
      "services.app: can't set distinct values on 'mem_reservation' and 'deploy.resources.reservations.memory'",
      "services.app: can't set distinct values on 'pids_limit' and 'deploy.resources.limits.pids'",
    ]);
    expect(project('  app: {image: x, mem_limit: 512m, deploy: {resources: {limits: {memory: 0.5g}}}}\n').services.app!.mem_limit).toBe(536870912);
  });

  it('logging options as strings, as the engine takes them; config prints them so', () => {
    const loaded = project('  app: {image: x, logging: {driver: json-file, options: {max-file: 3, max-size: 10m}}}\n');
    expect(loaded.services.app!.logging).toEqual({ driver: 'json-file', options: { 'max-file': '3', 'max-size': '10m' } });
    expect((toComposeJson(loaded).services as Record<string, Record<string, unknown>>).app!.logging).toEqual({ driver: 'json-file', options: { 'max-file': '3', 'max-size': '10m' } });
  });
});

describe('the create request carries every key compose puts into container create', () => {
  it('memory, CPU and process limits, each in Engine units', () => {
    const host = request('  app: {image: x, mem_limit: 512m, memswap_limit: 1g, mem_reservation: 128m, mem_swappiness: 10, cpus: 1.5, cpu_shares: 512, cpu_quota: 50000, cpu_period: 100000, cpuset: "0-1", pids_limit: 100, oom_kill_disable: true, oom_score_adj: -500, shm_size: 64m, cgroup_parent: /tscompose}\n').HostConfig;
    expect(host).toMatchObject({
      Memory: 536870912,
      MemorySwap: 1073741824,
      MemoryReservation: 134217728,
      MemorySwappiness: 10,
      NanoCpus: 1500000000,
      CpuShares: 512,
      CpuQuota: 50000,
      CpuPeriod: 100000,
      CpusetCpus: '0-1',
      PidsLimit: 100,
      OomKillDisable: true,
      OomScoreAdj: -500,
      ShmSize: 67108864,
      CgroupParent: '/tscompose',
    });
  });

  it('cpus: 0.1 is 100000000 NanoCpus, as docker --cpus 0.1', () => {
    expect(request('  app: {image: x, cpus: 0.1}\n').HostConfig.NanoCpus).toBe(100000000);
  });

  it('nothing of it when the file sets nothing', () => {
    const host = request('  app: {image: x}\n').HostConfig;
    for (const key of ['Memory', 'NanoCpus', 'PidsLimit', 'Ulimits', 'Devices', 'DeviceRequests', 'LogConfig', 'SecurityOpt', 'IpcMode', 'VolumesFrom', 'ShmSize', 'Annotations']) expect(host).not.toHaveProperty(key);
  });

  it('deploy.resources limits win over the service keys; reservations give memory and devices, not CPUs', () => {
    const host = request('  app:\n    image: x\n    deploy: {resources: {limits: {cpus: "0.5", memory: 256m, pids: 50}, reservations: {cpus: "0.25", memory: 64m, devices: [{driver: nvidia, count: 1, capabilities: [gpu, utility]}]}}}\n').HostConfig;
    expect(host).toMatchObject({ NanoCpus: 500000000, Memory: 268435456, PidsLimit: 50, MemoryReservation: 67108864 });
    expect(host.DeviceRequests).toEqual([{ Driver: 'nvidia', Count: 1, Capabilities: [['gpu', 'utility']] }]);
  });

  it('ulimits: one number is the soft and the hard limit; soft and hard each', () => {
    const host = request('  app: {image: x, ulimits: {nproc: 65535, nofile: {soft: 20000, hard: 40000}}}\n').HostConfig;
    expect(host.Ulimits).toEqual([
      { Name: 'nofile', Soft: 20000, Hard: 40000 },
      { Name: 'nproc', Soft: 65535, Hard: 65535 },
    ]);
  });

  it('devices short and long; a CDI name is a request to the cdi driver; gpus imply the gpu capability', () => {
    const host = request('  app:\n    image: x\n    devices: [/dev/fuse, "/dev/sda:/dev/xvda:r", {source: /dev/null, target: /dev/n, permissions: rw}, vendor.com/device=gpu0]\n    device_cgroup_rules: ["c 1:3 mr"]\n    gpus: [{driver: nvidia, device_ids: ["0"]}]\n', 'app', { apiVersion: '1.44' }).HostConfig;
    expect(host.Devices).toEqual([
      { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' },
      { PathOnHost: '/dev/sda', PathInContainer: '/dev/xvda', CgroupPermissions: 'r' },
      { PathOnHost: '/dev/null', PathInContainer: '/dev/n', CgroupPermissions: 'rw' },
    ]);
    expect(host.DeviceCgroupRules).toEqual(['c 1:3 mr']);
    expect(host.DeviceRequests).toEqual([
      { Driver: 'cdi', DeviceIDs: ['vendor.com/device=gpu0'] },
      { Driver: 'nvidia', DeviceIDs: ['0'], Capabilities: [['gpu']] },
    ]);
    expect(request('  app: {image: x, gpus: all}\n').HostConfig.DeviceRequests).toEqual([{ Count: -1, Capabilities: [['gpu']] }]);
  });

  it('blkio_config', () => {
    const host = request('  app:\n    image: x\n    blkio_config: {weight: 300, weight_device: [{path: /dev/sda, weight: 400}], device_read_bps: [{path: /dev/sda, rate: 1mb}], device_read_iops: [{path: /dev/sda, rate: 100}], device_write_bps: [{path: /dev/sda, rate: 2048}], device_write_iops: [{path: /dev/sda, rate: 50}]}\n').HostConfig;
    expect(host).toMatchObject({
      BlkioWeight: 300,
      BlkioWeightDevice: [{ Path: '/dev/sda', Weight: 400 }],
      BlkioDeviceReadBps: [{ Path: '/dev/sda', Rate: 1048576 }],
      BlkioDeviceReadIOps: [{ Path: '/dev/sda', Rate: 100 }],
      BlkioDeviceWriteBps: [{ Path: '/dev/sda', Rate: 2048 }],
      BlkioDeviceWriteIOps: [{ Path: '/dev/sda', Rate: 50 }],
    });
  });

  it('logging is the LogConfig; a driver alone has no Config', () => {
    expect(request('  app: {image: x, logging: {driver: json-file, options: {max-size: 1m, max-file: 2}}}\n').HostConfig.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } });
    expect(request('  app: {image: x, logging: {driver: none}}\n').HostConfig.LogConfig).toEqual({ Type: 'none' });
  });

  it('security options pass as written; systempaths=unconfined is empty masked and read-only paths', () => {
    const host = request('  app: {image: x, security_opt: ["no-new-privileges:true", "apparmor=unconfined", "systempaths=unconfined"], cap_add: [SYS_PTRACE]}\n').HostConfig;
    expect(host).toMatchObject({ SecurityOpt: ['no-new-privileges:true', 'apparmor=unconfined'], MaskedPaths: [], ReadonlyPaths: [], CapAdd: ['SYS_PTRACE'] });
    expect(request('  app: {image: x, security_opt: ["label=disable"]}\n').HostConfig).not.toHaveProperty('MaskedPaths');
  });

  it('namespaces, user groups, runtime, storage and isolation', () => {
    const host = request('  app: {image: x, ipc: shareable, pid: host, uts: host, userns_mode: host, cgroup: private, group_add: [audio, 1001], runtime: runc, isolation: default, storage_opt: {size: 20G}}\n').HostConfig;
    expect(host).toMatchObject({ IpcMode: 'shareable', PidMode: 'host', UTSMode: 'host', UsernsMode: 'host', CgroupnsMode: 'private', GroupAdd: ['audio', '1001'], Runtime: 'runc', Isolation: 'default', StorageOpt: { size: '20G' } });
  });

  it('ipc and pid of a service are its first container; volumes_from of a service too, with the mode; container: names a container', () => {
    const services = [
      '  data: {image: x, scale: 2, ipc: shareable}',
      '  app: {image: x, ipc: "service:data", pid: "service:data", volumes_from: [data, "data:ro", "container:legacy", "container:other:rw"]}',
      '',
    ].join('\n');
    const result = checkedPlan(project(services));
    const app = result.containers.find((container) => container.service === 'app')!;
    expect(app.request.HostConfig).toMatchObject({ IpcMode: 'container:create-data-1', PidMode: 'container:create-data-1', VolumesFrom: ['create-data-1', 'create-data-1:ro', 'legacy', 'other:rw'] });
    // volumes_from and the namespaces imply the dependency: the source containers are created first.
    expect(app.dependsOn.map((dependency) => dependency.service)).toEqual(['data']);
    // The engine resolves the container at create and needs it running at start.
    const dependsOn = (id: string) => result.operations.find((operation) => operation.id === id)!.dependsOn;
    expect(dependsOn('create-container:create-app-1')).toContain('create-container:create-data-1');
    expect(dependsOn('start-container:create-app-1')).toContain('start-container:create-data-1');
  });

  it('a container whose ipc or volumes_from source is recreated is recreated too; unchanged, all are kept', () => {
    const services = (tag: string) => `  data: {image: x, ipc: shareable, environment: {TAG: ${tag}}}\n  app: {image: x, ipc: "service:data"}\n  copy: {image: x, volumes_from: ["data:ro"]}\n`;
    const observed = observedAfter(checkedPlan(project(services('a'))));
    expect(checkedPlan(project(services('a')), observed).containers.map((container) => container.action)).toEqual(['keep', 'keep', 'keep']);
    const changed = checkedPlan(project(services('b')), observed);
    expect(changed.containers.map((container) => [container.service, container.action, container.cause])).toEqual([
      ['data', 'recreate', 'environment.TAG: "a" → "b"'],
      ['app', 'recreate', 'ipc service:data is recreated'],
      ['copy', 'recreate', 'volumes_from data:ro is recreated'],
    ]);
  });

  it('restart, and deploy.restart_policy over it in engine terms; a one-off of run restarts by neither', () => {
    expect(request('  app: {image: x, restart: "on-failure:3"}\n').HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    const services = '  app: {image: x, restart: always, deploy: {restart_policy: {condition: any}}}\n';
    expect(request(services).HostConfig.RestartPolicy).toEqual({ Name: 'always' });
    expect(request('  app: {image: x, deploy: {restart_policy: {condition: on-failure, max_attempts: 5}}}\n').HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 5 });
    expect(request('  app: {image: x, deploy: {restart_policy: {condition: none}}}\n').HostConfig.RestartPolicy).toEqual({ Name: 'no' });
    const loaded = project(services);
    const run = planRun(loaded, undefined, { oneOff: loaded.services.app!, name: 'create-app-run-1' });
    expect(run.containers.at(-1)!.request.HostConfig.RestartPolicy).toEqual({ Name: 'no' });
  });

  it('tty, stdin_open, hostname, domainname, stop_grace_period, labels and network_mode: disabled', () => {
    const app = request('  app: {image: x, tty: true, stdin_open: true, hostname: box, domainname: example.org, stop_grace_period: 1m30s, labels: {tier: web}}\n');
    expect(app).toMatchObject({ Tty: true, OpenStdin: true, Hostname: 'box', Domainname: 'example.org', StopTimeout: 90 });
    expect(app.Labels.tier).toBe('web');
    expect(request('  app: {image: x, network_mode: disabled}\n')).toMatchObject({ NetworkDisabled: true, HostConfig: { NetworkMode: 'disabled' } });
  });

  it('the config hash is that of the service as loaded, not of the request', () => {
    const plain = checkedPlan(project('  app: {image: x, mem_limit: 536870912}\n')).containers[0]!;
    const written = checkedPlan(project('  app: {image: x, mem_limit: 512m}\n')).containers[0]!;
    expect(written.configHash).toBe(plain.configHash);
    expect(written.request.HostConfig.Memory).toBe(536870912);
  });
});

describe('what Engine API 1.41 cannot do is a conflict, not a setting lost', () => {
  it('annotations need API 1.43', () => {
    const services = '  app: {image: x, annotations: {com.example.owner: team}}\n';
    const old = checkedPlan(project(services));
    expect(old.operations).toEqual([]);
    expect(old.conflicts).toEqual([{ kind: 'unsupported-setting', resource: 'service:app', message: 'services.app.annotations needs Engine API 1.43; the engine speaks 1.41, where a container has no annotations' }]);
    expect(request(services, 'app', { apiVersion: '1.43' }).HostConfig.Annotations).toEqual({ 'com.example.owner': 'team' });
  });

  it('CDI devices need API 1.44', () => {
    const result = checkedPlan(project('  app: {image: x, devices: [/dev/fuse, "nvidia.com/gpu=all"]}\n'));
    expect(result.conflicts.map((conflict) => conflict.message)).toEqual(['services.app.devices[1] needs Engine API 1.44; the engine speaks 1.41, where the engine knows no CDI device such as nvidia.com/gpu=all']);
  });
});
