import { replicaCount } from '../loader/checks.js';
import type { ComposeProject, PortMapping, ServiceConfig, ServiceNetworkConfig } from '../loader/model.js';
import { VERSION } from '../version.js';
import { apiAtLeast } from './api-version.js';
import { hashedAndRecorded } from './config-diff.js';
import { unsupportedFiles } from './container-files.js';
import { containerMounts, unsupportedMounts } from './container-mounts.js';
import { containerResources, isCdiDevice } from './container-resources.js';
import { durationToNanoseconds, durationToSeconds } from './duration.js';
import { LABEL } from './labels.js';
import { optional } from './optional.js';
import { sortInPlace } from './sort.js';
import type { Conflict, ContainerCreateRequest, EndpointSettings, HostConfig, NetworkAttachment, PlannedContainer, PlannedDependency, PublishedPort } from './types.js';

/** A service's replica as the planner derives it before comparing with the engine. */
export type ContainerSpec = Omit<PlannedContainer, 'action' | 'cause' | 'existingId'>;

/** Service keys that never require a new container: replicas, dependencies, how the image is made, and networks (changed in place). */
const NOT_HASHED = new Set(['networks', 'depends_on', 'scale', 'profiles', 'build', 'pull_policy', 'extends', 'develop']);

/** What, when changed, requires a new container: hashed into compose's config-hash label, recorded in LABEL.config. */
function hashedServiceConfig(service: ServiceConfig): Record<string, unknown> {
  const hashed: Record<string, unknown> = {};
  for (const key of Object.keys(service)) if (!NOT_HASHED.has(key)) hashed[key] = service[key as keyof ServiceConfig];
  if (hashed.deploy && typeof hashed.deploy === 'object') {
    const { replicas: _replicas, ...deploy } = hashed.deploy as Record<string, unknown>;
    hashed.deploy = deploy;
  }
  return hashed;
}

/** A service's configuration as its containers carry it: the hash, and the record a later plan diffs (computed once per service). */
export interface ServiceConfigRecord {
  hash: string;
  recorded: string;
}

export function serviceConfigRecord(service: ServiceConfig): ServiceConfigRecord {
  return hashedAndRecorded(hashedServiceConfig(service));
}

export function containerName(project: ComposeProject, service: ServiceConfig, number: number): string {
  return service.container_name ?? `${project.name}-${service.name}-${number}`;
}

/** The first Engine API versions that take a MAC address per endpoint, and a gateway priority and interface name (Engine 28.0). */
const ENDPOINT_MAC_API = '1.44';
const GATEWAY_PRIORITY_API = '1.48';
const INTERFACE_NAME_API = '1.48';
/** The first Engine API versions that take HostConfig.Annotations (Engine 24.0), and devices named by CDI (Engine 25.0). */
const ANNOTATIONS_API = '1.43';
const CDI_API = '1.44';

/** What the planned API version takes, decided once per plan rather than per container and network. */
export interface ApiFeatures {
  /** A MAC address per endpoint, and every network attached at create. */
  endpointMacAddress: boolean;
  gatewayPriority: boolean;
  interfaceName: boolean;
}

export function apiFeatures(apiVersion: string): ApiFeatures {
  return {
    endpointMacAddress: apiAtLeast(apiVersion, ENDPOINT_MAC_API),
    gatewayPriority: apiAtLeast(apiVersion, GATEWAY_PRIORITY_API),
    interfaceName: apiAtLeast(apiVersion, INTERFACE_NAME_API),
  };
}
/** The endpoint driver option that names the container's interface on the network, as compose sets it for `interface_name`. */
const INTERFACE_NAME_OPTION = 'com.docker.network.endpoint.ifname';

/**
 * Settings of a service the engine cannot honour at the planned API version: each is a conflict
 * naming the service, the network and the version needed, rather than a setting silently lost.
 */
export function unsupportedSettings(service: ServiceConfig, apiVersion: string, project: ComposeProject): Conflict[] {
  const conflicts: Conflict[] = [];
  // Without `needed`, no API version does it: the engine cannot honour the setting in any form of the request.
  const refuse = (setting: string, needed: string | undefined, why: string) =>
    conflicts.push({
      kind: 'unsupported-setting',
      resource: `service:${service.name}`,
      message: needed === undefined ? `services.${service.name}.${setting} cannot be honoured: ${why}` : `services.${service.name}.${setting} needs Engine API ${needed}; the engine speaks ${apiVersion}, where ${why}`,
    });
  if (service.annotations !== undefined && Object.keys(service.annotations).length > 0 && !apiAtLeast(apiVersion, ANNOTATIONS_API)) {
    refuse('annotations', ANNOTATIONS_API, 'a container has no annotations');
  }
  (service.devices ?? []).forEach((device, index) => {
    if (isCdiDevice(device) && !apiAtLeast(apiVersion, CDI_API)) refuse(`devices[${index}]`, CDI_API, `the engine knows no CDI device such as ${device.source}`);
  });
  for (const { setting, needed, why } of unsupportedMounts(service, apiVersion)) refuse(setting, needed, why);
  for (const { setting, why } of unsupportedFiles(service, project)) refuse(setting, undefined, why);
  if (service.network_mode !== undefined || !service.networks) return conflicts;
  const ordered = networksByPriority(service.networks);
  if (!apiAtLeast(apiVersion, ENDPOINT_MAC_API)) {
    ordered.forEach(({ key, settings }, index) => {
      if (settings.mac_address === undefined) return;
      if (index > 0) refuse(`networks.${key}.mac_address`, ENDPOINT_MAC_API, `a MAC address can only be set on the network the container is created on (${ordered[0]!.key})`);
      else if (service.mac_address !== undefined && service.mac_address !== settings.mac_address) refuse(`networks.${key}.mac_address`, ENDPOINT_MAC_API, `the container has one MAC address, and mac_address says ${service.mac_address}`);
    });
  }
  for (const { key, settings } of ordered) {
    if (settings.gw_priority !== undefined && !apiAtLeast(apiVersion, GATEWAY_PRIORITY_API)) refuse(`networks.${key}.gw_priority`, GATEWAY_PRIORITY_API, 'the gateway is that of the network the container is created on');
    if (settings.interface_name !== undefined && !apiAtLeast(apiVersion, INTERFACE_NAME_API)) refuse(`networks.${key}.interface_name`, INTERFACE_NAME_API, 'the engine names interfaces eth0, eth1… itself');
  }
  return conflicts;
}

export function replicaNumbers(service: ServiceConfig): number[] {
  return Array.from({ length: replicaCount(service) }, (_, index) => index + 1);
}

/** Container names of every service, in replica order. */
export function serviceContainerNames(project: ComposeProject): Map<string, string[]> {
  return new Map(Object.values(project.services).map((service) => [service.name, replicaNumbers(service).map((n) => containerName(project, service, n))]));
}

export interface SpecContext {
  project: ComposeProject;
  apiVersion: string;
  api: ApiFeatures;
  /** Container names of every service, in replica order (for network_mode service: and links). */
  containerNames: ReadonlyMap<string, readonly string[]>;
  /** The config-files label, the same on every container. */
  configFiles: string;
}

export function specContext(project: ComposeProject, apiVersion: string, containerNames: ReadonlyMap<string, readonly string[]>): SpecContext {
  return { project, apiVersion, api: apiFeatures(apiVersion), containerNames, configFiles: project.config_files.join(',') };
}

/** Everything about one replica in Engine API terms. */
export function containerSpec(service: ServiceConfig, number: number, config: ServiceConfigRecord, context: SpecContext): ContainerSpec {
  const { project } = context;
  const name = containerName(project, service, number);
  const networks = attachments(service, name, context);
  // Field by field in the body's order: optional fields spread into a literal cost several times as much, for every replica.
  const request = { Image: service.image ?? `${project.name}-${service.name}` } as ContainerCreateRequest;
  setDefined(request, 'Cmd', service.command ?? undefined);
  setDefined(request, 'Entrypoint', service.entrypoint ?? undefined);
  request.Env = environmentList(service.environment);
  request.Labels = containerLabels(service, number, config, context);
  setDefined(request, 'Hostname', service.hostname);
  setDefined(request, 'Domainname', service.domainname);
  setDefined(request, 'User', service.user as string | undefined);
  setDefined(request, 'WorkingDir', service.working_dir as string | undefined);
  setDefined(request, 'Tty', service.tty);
  setDefined(request, 'OpenStdin', service.stdin_open);
  setDefined(request, 'StopSignal', service.stop_signal as string | undefined);
  setDefined(request, 'StopTimeout', durationToSeconds(service.stop_grace_period));
  // Below 1.44 the container's MacAddress is its address on the network it is created on; unsupportedSettings refuses one on any other network.
  setDefined(request, 'MacAddress', context.api.endpointMacAddress ? undefined : (service.mac_address ?? networks[0]?.macAddress));
  setDefined(request, 'NetworkDisabled', service.network_mode === 'disabled' ? true : undefined);
  request.ExposedPorts = exposedPorts(service);
  setDefined(request, 'Healthcheck', healthcheck(service.healthcheck));
  request.HostConfig = hostConfig(service, networks, context);
  const endpoints: Record<string, EndpointSettings> = {};
  for (const attachment of networks) if (attachment.via === 'create') setEntry(endpoints, attachment.networkName, attachment.endpoint);
  request.NetworkingConfig = { EndpointsConfig: endpoints };
  return {
    service: service.name,
    number,
    name,
    configHash: config.hash,
    request,
    networks,
    ports: publishedPorts(service),
    dependsOn: dependencies(service.depends_on),
  };
}

/** Sets an optional field when it has a value (null included, as `optional` keeps it). */
function setDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** Sets a record's entry as a spread or Object.fromEntries would: a key named __proto__ is an entry, not the prototype. */
function setEntry<V>(record: Record<string, V>, key: string, value: V): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

/** `KEY=value` for each variable with a value; one without (`null`) is left to the engine. */
function environmentList(environment: ServiceConfig['environment']): string[] {
  const list: string[] = [];
  for (const key of Object.keys(environment)) {
    const value = environment[key];
    if (value !== null) list.push(`${key}=${value}`);
  }
  return list;
}

function dependencies(dependsOn: ServiceConfig['depends_on']): PlannedDependency[] {
  const list: PlannedDependency[] = [];
  for (const dependency of Object.keys(dependsOn)) {
    const settings = dependsOn[dependency]!;
    list.push({ service: dependency, condition: settings.condition, required: settings.required });
  }
  return list;
}

/** The service's own labels, then compose's, which win. Copied key by key: labels added after a spread cost several times as much. */
function containerLabels(service: ServiceConfig, number: number, config: ServiceConfigRecord, context: SpecContext): Record<string, string> {
  const { project } = context;
  const labels: Record<string, string> = {};
  for (const key of Object.keys(service.labels)) setEntry(labels, key, service.labels[key]!);
  labels[LABEL.project] = project.name;
  labels[LABEL.service] = service.name;
  labels[LABEL.containerNumber] = String(number);
  labels[LABEL.oneoff] = 'False';
  labels[LABEL.configHash] = config.hash;
  labels[LABEL.config] = config.recorded;
  let dependsOn = '';
  for (const [name, dependency] of Object.entries(service.depends_on)) dependsOn += `${dependsOn === '' ? '' : ','}${name}:${dependency.condition}:${dependency.restart ?? false}`;
  labels[LABEL.dependsOn] = dependsOn;
  labels[LABEL.workingDir] = project.working_dir;
  labels[LABEL.configFiles] = context.configFiles;
  labels[LABEL.version] = VERSION;
  return labels;
}

/** A service's networks, highest priority first, ties by key: the first is the one the container is created on below API 1.44. */
function networksByPriority(networks: NonNullable<ServiceConfig['networks']>): { key: string; settings: ServiceNetworkConfig; priority: number }[] {
  const ordered = Object.entries(networks).map(([key, settings]) => ({ key, settings: settings ?? {}, priority: settings?.priority ?? 0 }));
  return sortInPlace(ordered, (a, b) => b.priority - a.priority || a.key.localeCompare(b.key));
}

/** The service's networks, highest priority first (ties by name), each with the endpoint compose would make. */
function attachments(service: ServiceConfig, name: string, context: SpecContext): NetworkAttachment[] {
  if (service.network_mode !== undefined || !service.networks) return [];
  const allAtCreate = context.api.endpointMacAddress;
  // On user-defined networks the engine reads links from each endpoint; HostConfig.Links only serves the default bridge.
  const endpointLinks = links(service, context);
  return networksByPriority(service.networks)
    .map(({ key, settings, priority }, index): NetworkAttachment => {
      const aliases = [...new Set([name, service.name, ...(settings.aliases ?? [])])];
      const ipam: NonNullable<EndpointSettings['IPAMConfig']> = {};
      setDefined(ipam, 'IPv4Address', settings.ipv4_address);
      setDefined(ipam, 'IPv6Address', settings.ipv6_address);
      setDefined(ipam, 'LinkLocalIPs', settings.link_local_ips);
      const endpoint: EndpointSettings = { Aliases: aliases };
      if (endpointLinks.length > 0) endpoint.Links = endpointLinks;
      if (Object.keys(ipam).length > 0) endpoint.IPAMConfig = ipam;
      setDefined(endpoint, 'MacAddress', allAtCreate ? settings.mac_address : undefined);
      setDefined(endpoint, 'DriverOpts', endpointDriverOptions(settings, context.api));
      setDefined(endpoint, 'GwPriority', context.api.gatewayPriority ? settings.gw_priority : undefined);
      const attachment = { network: key, networkName: context.project.networks[key]!.name, aliases } as NetworkAttachment;
      setDefined(attachment, 'ipv4Address', settings.ipv4_address);
      setDefined(attachment, 'ipv6Address', settings.ipv6_address);
      setDefined(attachment, 'macAddress', settings.mac_address);
      attachment.priority = priority;
      attachment.via = allAtCreate || index === 0 ? 'create' : 'connect';
      attachment.endpoint = endpoint;
      return attachment;
    });
}

function endpointDriverOptions(settings: ServiceNetworkConfig, api: ApiFeatures): Record<string, string> | undefined {
  if (settings.driver_opts === undefined && settings.interface_name === undefined) return undefined;
  const options: Record<string, string> = { ...settings.driver_opts };
  if (settings.interface_name !== undefined && api.interfaceName) options[INTERFACE_NAME_OPTION] = settings.interface_name;
  return Object.keys(options).length > 0 ? options : undefined;
}

/** The primary network (the first attachment), or the service's network_mode in engine terms. */
function networkMode(service: ServiceConfig, networks: readonly NetworkAttachment[], context: SpecContext): string {
  const mode = service.network_mode;
  if (mode === undefined) return networks[0]?.networkName ?? 'none';
  return sharedNamespace(mode, context)!;
}

function portKey(port: { target: number; protocol: string }): string {
  return `${port.target}/${port.protocol}`;
}

function exposedPorts(service: ServiceConfig): Record<string, Record<string, never>> {
  const exposed: Record<string, Record<string, never>> = {};
  for (const port of service.ports) exposed[portKey(port)] = {};
  for (const entry of service.expose) {
    const [ports = '', protocol = 'tcp'] = entry.split('/');
    const [start, end] = ports.split('-').map(Number);
    for (let port = start!; port <= (end ?? start!); port++) exposed[`${port}/${protocol}`] = {};
  }
  return exposed;
}

function hostConfig(service: ServiceConfig, networks: readonly NetworkAttachment[], context: SpecContext): HostConfig {
  const bindings: HostConfig['PortBindings'] = {};
  for (const port of service.ports) {
    (bindings[portKey(port)] ??= []).push({ HostIp: port.host_ip ?? '', HostPort: port.published ?? '' });
  }
  const config: HostConfig = {
    NetworkMode: networkMode(service, networks, context),
    PortBindings: bindings,
    PublishAllPorts: false,
    Dns: service.dns,
    DnsSearch: service.dns_search,
    DnsOptions: service.dns_opt,
    ExtraHosts: service.extra_hosts.map((entry) => entry.replace('=', ':')),
    Links: service.network_mode === 'bridge' ? links(service, context) : [],
  };
  // Field by field: optional fields spread into the literal cost several times as much, for every replica.
  setDefined(config, 'RestartPolicy', restartPolicy(service));
  setDefined(config, 'Privileged', service.privileged as boolean | undefined);
  setDefined(config, 'ReadonlyRootfs', service.read_only as boolean | undefined);
  setDefined(config, 'Init', service.init as boolean | undefined);
  setDefined(config, 'CapAdd', service.cap_add as string[] | undefined);
  setDefined(config, 'CapDrop', service.cap_drop as string[] | undefined);
  setDefined(config, 'Sysctls', service.sysctls as Record<string, string> | undefined);
  setDefined(config, 'Tmpfs', tmpfs(service.tmpfs));
  Object.assign(config, containerMounts(service, context.project));
  setDefined(config, 'VolumesFrom', service.volumes_from?.map((entry) => volumesFrom(entry, context)));
  setDefined(config, 'ShmSize', service.shm_size);
  setDefined(config, 'IpcMode', sharedNamespace(service.ipc, context));
  setDefined(config, 'PidMode', sharedNamespace(service.pid ?? undefined, context));
  setDefined(config, 'UTSMode', service.uts);
  setDefined(config, 'UsernsMode', service.userns_mode);
  setDefined(config, 'CgroupnsMode', service.cgroup);
  Object.assign(config, securityOptions(service.security_opt));
  setDefined(config, 'GroupAdd', service.group_add?.map(String));
  setDefined(config, 'OomScoreAdj', service.oom_score_adj);
  setDefined(config, 'StorageOpt', service.storage_opt);
  setDefined(config, 'Runtime', service.runtime);
  setDefined(config, 'Isolation', service.isolation);
  setDefined(config, 'LogConfig', service.logging && { Type: service.logging.driver ?? '', ...optional('Config', service.logging.options) });
  setDefined(config, 'Annotations', apiAtLeast(context.apiVersion, ANNOTATIONS_API) ? service.annotations : undefined);
  Object.assign(config, containerResources(service));
  return config;
}

/** A container this one's create names: a namespace it joins (`network_mode`, `ipc`, `pid`) or whose volumes it mounts (`volumes_from`). */
export interface ContainerReference {
  /** As written: `network_mode service:db`, `volumes_from data:ro`. */
  setting: string;
  /** The service whose first container it is, or the container named outside the project. */
  service?: string;
  container?: string;
}

export function containerReferences(service: ServiceConfig): ContainerReference[] {
  const references: ContainerReference[] = [];
  for (const key of ['network_mode', 'ipc', 'pid'] as const) {
    const mode = service[key];
    if (typeof mode !== 'string') continue;
    if (mode.startsWith('service:')) references.push({ setting: `${key} ${mode}`, service: mode.slice('service:'.length) });
    else if (mode.startsWith('container:')) references.push({ setting: `${key} ${mode}`, container: mode.slice('container:'.length) });
  }
  for (const entry of service.volumes_from ?? []) {
    if (entry.startsWith('container:')) references.push({ setting: `volumes_from ${entry}`, container: entry.split(':')[1]! });
    else references.push({ setting: `volumes_from ${entry}`, service: entry.split(':')[0]! });
  }
  return references;
}

/** `service:NAME` (network_mode, ipc, pid) is the namespace of that service's first container, as compose resolves it. */
function sharedNamespace(mode: string | undefined, context: SpecContext): string | undefined {
  if (mode === undefined || !mode.startsWith('service:')) return mode;
  const target = mode.slice('service:'.length);
  return `container:${context.containerNames.get(target)?.[0] ?? target}`;
}

/**
 * `SERVICE[:ro|rw]` mounts the volumes of the service's first container, `container:NAME[:ro|rw]`
 * those of a container named outside the project. The mode goes to the engine with the name
 * (compose drops it, and the volumes are then mounted read-write).
 */
function volumesFrom(entry: string, context: SpecContext): string {
  if (entry.startsWith('container:')) return entry.slice('container:'.length);
  const [target = '', ...mode] = entry.split(':');
  return [context.containerNames.get(target)?.[0] ?? target, ...mode].join(':');
}

/** `systempaths=unconfined` is no engine option: it is empty MaskedPaths and ReadonlyPaths, as compose (and docker run) send it. */
function securityOptions(options: string[] | undefined): Pick<HostConfig, 'SecurityOpt' | 'MaskedPaths' | 'ReadonlyPaths'> {
  if (options === undefined) return {};
  const unconfined = options.includes('systempaths=unconfined');
  return {
    SecurityOpt: options.filter((option) => option !== 'systempaths=unconfined'),
    ...(unconfined ? { MaskedPaths: [], ReadonlyPaths: [] } : {}),
  };
}

/** `links: [db, db:database]` → `<container>:<alias>` for every replica, plus the container's own name, as compose does. */
function links(service: ServiceConfig, context: SpecContext): string[] {
  const out: string[] = [];
  for (const link of service.links) {
    const [target, alias = target] = link.split(':') as [string, string?];
    for (const name of context.containerNames.get(target) ?? []) out.push(`${name}:${alias}`, ...(alias === name ? [] : [`${name}:${name}`]));
  }
  for (const link of service.external_links) {
    const [target, alias = target] = link.split(':') as [string, string?];
    out.push(`${target}:${alias}`);
  }
  return [...new Set(out)];
}

/** deploy.restart_policy's conditions in engine terms. */
const RESTART_CONDITIONS: Record<string, string> = { none: 'no', any: 'always' };

/** `restart: on-failure:3`, or deploy.restart_policy over it, as compose's getRestartPolicy reads them for a container. */
function restartPolicy(service: ServiceConfig): HostConfig['RestartPolicy'] {
  const policy = (service.deploy as { restart_policy?: { condition?: string; max_attempts?: number } } | undefined)?.restart_policy;
  if (policy) {
    const condition = policy.condition ?? 'no';
    return { Name: RESTART_CONDITIONS[condition] ?? condition, ...(policy.max_attempts ? { MaximumRetryCount: policy.max_attempts } : {}) };
  }
  const restart = service.restart as string | undefined;
  if (restart === undefined) return undefined;
  const [name = 'no', retries] = restart.split(':');
  return { Name: name, ...(retries ? { MaximumRetryCount: Number(retries) } : {}) };
}

function tmpfs(value: unknown): Record<string, string> | undefined {
  if (!Array.isArray(value)) return undefined;
  return Object.fromEntries(value.map((entry) => {
    const [path = '', options = ''] = String(entry).split(/:(.*)/s);
    return [path, options];
  }));
}

export function healthcheck(value: unknown): ContainerCreateRequest['Healthcheck'] {
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  const check = value as Record<string, unknown>;
  if (check.disable === true) return { Test: ['NONE'] };
  const test = check.test as string[] | undefined;
  return {
    ...optional('Test', test),
    ...optional('Interval', durationToNanoseconds(check.interval)),
    ...optional('Timeout', durationToNanoseconds(check.timeout)),
    ...optional('Retries', check.retries as number | undefined),
    ...optional('StartPeriod', durationToNanoseconds(check.start_period)),
    ...optional('StartInterval', durationToNanoseconds(check.start_interval)),
  };
}

/** A host address as it goes before `:port`: every interface as 0.0.0.0, IPv6 in brackets. */
export function hostAddress(hostIp: string): string {
  return hostIp === '' ? '0.0.0.0' : hostIp.includes(':') ? `[${hostIp}]` : hostIp;
}

/** Each published port, as the host and as other containers of the project reach it. */
function publishedPorts(service: ServiceConfig): PublishedPort[] {
  const reachableByName = service.network_mode === undefined;
  return service.ports.map((port: PortMapping) => {
    const hostIp = port.host_ip ?? '';
    const published: PublishedPort = { protocol: port.protocol, containerPort: port.target, hostIp } as PublishedPort;
    setDefined(published, 'hostPort', port.published);
    published.fromHost = `${hostAddress(hostIp)}:${port.published ?? '<random>'}`;
    published.fromNetwork = reachableByName ? [`${service.name}:${port.target}`] : [];
    return published;
  });
}
