import { deployResources } from '../loader/checks.js';
import type { DeviceRequestConfig, ServiceConfig } from '../loader/model.js';
import { optional } from './optional.js';
import type { DeviceRequest, HostConfig, ThrottleDevice } from './types.js';

/** The cgroup settings of HostConfig, as compose's getDeployResources makes them: the service's keys, then deploy.resources over them. */
export function containerResources(service: ServiceConfig): Partial<HostConfig> {
  const deploy = deployResources(service);
  const limits = deploy?.limits;
  const blkio = service.blkio_config;
  const devices = (service.devices ?? []).filter((device) => !isCdiDevice(device));
  const deviceRequests = [...cdiRequests(service), ...(service.gpus ?? []).map((request) => deviceRequest(request, 'gpu')), ...(deploy?.reservations?.devices ?? []).map((request) => deviceRequest(request))];
  return {
    ...optional('CgroupParent', service.cgroup_parent),
    ...optional('Memory', limits?.memory ?? service.mem_limit),
    ...optional('MemorySwap', service.memswap_limit),
    ...optional('MemoryReservation', deploy?.reservations?.memory ?? service.mem_reservation),
    ...optional('MemorySwappiness', service.mem_swappiness),
    ...optional('OomKillDisable', service.oom_kill_disable),
    ...optional('NanoCpus', nanoCpus(limits?.cpus ?? service.cpus)),
    ...optional('CpuShares', service.cpu_shares),
    ...optional('CpuPeriod', service.cpu_period),
    ...optional('CpuQuota', service.cpu_quota),
    ...optional('CpuRealtimePeriod', service.cpu_rt_period),
    ...optional('CpuRealtimeRuntime', service.cpu_rt_runtime),
    ...optional('CpuCount', service.cpu_count),
    ...optional('CpuPercent', service.cpu_percent),
    ...optional('CpusetCpus', service.cpuset),
    // compose takes a limit of processes from deploy only when it is positive.
    ...optional('PidsLimit', limits?.pids !== undefined && limits.pids > 0 ? limits.pids : service.pids_limit),
    ...optional('Ulimits', ulimits(service.ulimits)),
    ...optional('Devices', devices.length > 0 ? devices.map((device) => ({ PathOnHost: device.source, PathInContainer: device.target, CgroupPermissions: device.permissions ?? '' })) : undefined),
    ...optional('DeviceCgroupRules', service.device_cgroup_rules),
    ...optional('DeviceRequests', deviceRequests.length > 0 ? deviceRequests : undefined),
    ...optional('BlkioWeight', blkio?.weight),
    ...optional('BlkioWeightDevice', blkio?.weight_device?.map((device) => ({ Path: device.path, Weight: device.weight }))),
    ...optional('BlkioDeviceReadBps', throttles(blkio?.device_read_bps)),
    ...optional('BlkioDeviceReadIOps', throttles(blkio?.device_read_iops)),
    ...optional('BlkioDeviceWriteBps', throttles(blkio?.device_write_bps)),
    ...optional('BlkioDeviceWriteIOps', throttles(blkio?.device_write_iops)),
  };
}

/** CPUs in the Engine's units of 10⁻⁹ CPU, rounded as docker's --cpus reads 0.1. */
function nanoCpus(cpus: number | undefined): number | undefined {
  return cpus === undefined ? undefined : Math.round(cpus * 1e9);
}

/** Each ulimit by name: one number is both the soft and the hard limit. Sorted, so that the request does not depend on how files were merged. */
function ulimits(value: ServiceConfig['ulimits']): HostConfig['Ulimits'] {
  if (value === undefined) return undefined;
  return Object.keys(value)
    .sort()
    .map((name) => {
      const limit = value[name]!;
      return typeof limit === 'number' ? { Name: name, Soft: limit, Hard: limit } : { Name: name, Soft: limit.soft, Hard: limit.hard };
    });
}

/** A CDI device name, `vendor.com/class=name`, as the container-device-interface parser's IsQualifiedName reads it. */
const CDI_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?\/[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?=[A-Za-z0-9_.:-]+$/;

export function isCdiDevice(device: { source: string; target: string }): boolean {
  return device.source === device.target && CDI_NAME.test(device.source);
}

/** Devices named by CDI go to the engine as one request to the cdi driver. */
function cdiRequests(service: ServiceConfig): DeviceRequest[] {
  const names = (service.devices ?? []).filter(isCdiDevice).map((device) => device.source);
  return names.length > 0 ? [{ Driver: 'cdi', DeviceIDs: names }] : [];
}

/** `gpus` entries imply the gpu capability; deploy's reservations say theirs. */
function deviceRequest(request: DeviceRequestConfig, implied?: string): DeviceRequest {
  const capabilities = [...(request.capabilities ?? []), ...(implied ? [implied] : [])];
  return {
    ...optional('Driver', request.driver),
    ...optional('Count', request.count),
    ...optional('DeviceIDs', request.device_ids),
    ...(capabilities.length > 0 ? { Capabilities: [capabilities] } : {}),
    ...optional('Options', request.options),
  };
}

function throttles(limits: { path: string; rate: number }[] | undefined): ThrottleDevice[] | undefined {
  return limits?.map((limit) => ({ Path: limit.path, Rate: limit.rate }));
}
