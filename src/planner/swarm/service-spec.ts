import type { ComposeProject, ServiceConfig } from '../../loader/model.js';
import { configHash } from '../config-hash.js';
import { healthcheck } from '../container-spec.js';
import { optional } from '../optional.js';
import { durationToNanoseconds } from '../duration.js';
import { STACK_IMAGE_LABEL, STACK_NAMESPACE_LABEL, STACK_SPEC_HASH_LABEL, type ContainerSpec, type FileReference, type Mount, type PlannedStackService, type ResourceAmounts, type ServiceSpec, type UpdateConfig } from './types.js';

/** What a service spec refers to by engine name: networks, and the versioned secrets and configs. */
export interface StackNames {
  stack: string;
  project: ComposeProject;
  /** Secret key → engine name. */
  secrets: ReadonlyMap<string, string>;
  configs: ReadonlyMap<string, string>;
  /** Service key → the image pinned to its digest by --resolve-image; absent: the image as written. */
  images?: ReadonlyMap<string, string>;
}

type Data = Record<string, unknown>;

const isRecord = (value: unknown): value is Data => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The service as `docker stack deploy` sends it, and its summary for the plan (without action and cause). */
export function serviceSpec(service: ServiceConfig, names: StackNames): { spec: ServiceSpec; summary: Omit<PlannedStackService, 'action' | 'cause' | 'existingId'> } {
  const { stack } = names;
  const deploy = isRecord(service.deploy) ? service.deploy : {};
  const name = `${stack}_${service.name}`;
  const networks = Object.entries(service.networks ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, settings]) => ({
      Target: names.project.networks[key]!.name,
      // As docker does: the service's key is an alias on every network, beside the ones given.
      Aliases: [...new Set([service.name, ...(settings?.aliases ?? [])])],
      ...optional('DriverOpts', settings?.driver_opts),
    }));
  const ports = service.ports.map((port) => ({
    Protocol: port.protocol,
    TargetPort: port.target,
    ...optional('PublishedPort', port.published === undefined ? undefined : Number(port.published)),
    PublishMode: port.mode,
  }));
  const mode = modeOf(deploy);
  const spec: ServiceSpec = {
    Name: name,
    Labels: { ...(deploy.labels as Record<string, string> | undefined), [STACK_NAMESPACE_LABEL]: stack, [STACK_IMAGE_LABEL]: service.image! },
    TaskTemplate: {
      ContainerSpec: containerSpec(service, names),
      ...optional('Resources', resources(deploy.resources)),
      ...optional('RestartPolicy', restartPolicy(deploy.restart_policy)),
      ...optional('Placement', placement(deploy.placement)),
      Networks: networks,
      ...optional('LogDriver', logDriver(service.logging)),
    },
    Mode: mode.spec,
    ...optional('UpdateConfig', updateConfig(deploy.update_config)),
    ...optional('RollbackConfig', updateConfig(deploy.rollback_config)),
    EndpointSpec: { Mode: deploy.endpoint_mode === 'dnsrr' ? 'dnsrr' : 'vip', Ports: ports },
  };
  const specHash = configHash(spec);
  spec.Labels[STACK_SPEC_HASH_LABEL] = specHash;
  return {
    spec,
    summary: {
      key: service.name,
      name,
      mode: mode.name,
      ...optional('replicas', mode.replicas),
      networks: networks.map((network) => ({ name: network.Target, aliases: network.Aliases })),
      ports: ports.map((port) => ({ target: port.TargetPort, ...optional('published', port.PublishedPort), protocol: port.Protocol, mode: port.PublishMode })),
      specHash,
    },
  };
}

function modeOf(deploy: Data): { name: PlannedStackService['mode']; spec: ServiceSpec['Mode']; replicas?: number } {
  const replicas = typeof deploy.replicas === 'number' ? deploy.replicas : 1;
  switch (deploy.mode) {
    case 'global':
      return { name: 'global', spec: { Global: {} } };
    case 'global-job':
      return { name: 'global-job', spec: { GlobalJob: {} } };
    case 'replicated-job':
      // As docker does: replicas are the completions wanted, run all at once.
      return { name: 'replicated-job', spec: { ReplicatedJob: { MaxConcurrent: replicas, TotalCompletions: replicas } }, replicas };
    default:
      return { name: 'replicated', spec: { Replicated: { Replicas: replicas } }, replicas };
  }
}

function containerSpec(service: ServiceConfig, names: StackNames): ContainerSpec {
  return {
    Image: names.images?.get(service.name) ?? service.image!,
    Labels: { ...service.labels, [STACK_NAMESPACE_LABEL]: names.stack },
    ...optional('Command', service.entrypoint ?? undefined),
    ...optional('Args', service.command ?? undefined),
    ...optional('Hostname', service.hostname),
    Env: Object.entries(service.environment)
      .filter((entry): entry is [string, string] => entry[1] !== null)
      .map(([key, value]) => `${key}=${value}`)
      .sort(),
    ...optional('Dir', service.working_dir as string | undefined),
    ...optional('User', service.user as string | undefined),
    ...optional('TTY', service.tty as boolean | undefined),
    ...optional('OpenStdin', service.stdin_open as boolean | undefined),
    ...optional('ReadOnly', service.read_only as boolean | undefined),
    Mounts: mounts(service, names),
    ...optional('StopSignal', service.stop_signal as string | undefined),
    ...optional('StopGracePeriod', durationToNanoseconds(service.stop_grace_period)),
    ...optional('Healthcheck', healthcheck(service.healthcheck)),
    ...optional('Hosts', service.extra_hosts.length > 0 ? service.extra_hosts.map((entry) => { const [host, ip] = entry.split('='); return `${ip} ${host}`; }) : undefined),
    ...optional('DNSConfig', service.dns.length + service.dns_search.length + service.dns_opt.length > 0 ? { Nameservers: service.dns, Search: service.dns_search, Options: service.dns_opt } : undefined),
    Secrets: fileReferences(service.secrets, names.secrets, '/run/secrets/', 'Secret'),
    Configs: fileReferences(service.configs, names.configs, '/', 'Config'),
    ...optional('Init', service.init as boolean | undefined),
    ...optional('CapabilityAdd', service.cap_add as string[] | undefined),
    ...optional('CapabilityDrop', service.cap_drop as string[] | undefined),
    ...optional('Sysctls', service.sysctls as Record<string, string> | undefined),
    ...optional('Ulimits', ulimits(service.ulimits)),
  };
}

/** `secrets: [a, {source: b, target: c, mode: 0400}]` as file references; a relative secret target goes under /run/secrets. */
function fileReferences<P extends 'Secret' | 'Config'>(value: unknown, engineNames: ReadonlyMap<string, string>, directory: string, kind: P): FileReference<`${P}ID` | `${P}Name`>[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry) => {
    const reference = typeof entry === 'string' ? { source: entry } : (entry as { source: string; target?: string; uid?: string; gid?: string; mode?: number });
    const target = reference.target ?? (kind === 'Secret' ? reference.source : `/${reference.source}`);
    return {
      File: { Name: target.startsWith('/') || kind === 'Config' ? target : directory + target, UID: reference.uid ?? '0', GID: reference.gid ?? '0', Mode: reference.mode ?? 0o444 },
      [`${kind}Name`]: engineNames.get(reference.source)!,
    } as FileReference<`${P}ID` | `${P}Name`>;
  });
}

/**
 * The service's volumes (canonical long form, bind sources absolute) as `docker stack deploy`
 * mounts them (docker/cli's convert.Volumes): a named volume by its stack name, made on each node
 * with the top-level volume's labels, driver and options unless it is external; nocopy, bind
 * propagation and the tmpfs size and mode as mount options; read_only and consistency as written.
 */
function mounts(service: ServiceConfig, names: StackNames): Mount[] {
  return (service.volumes ?? []).map((volume) => {
    const named = volume.type === 'volume' && volume.source !== undefined ? names.project.volumes[volume.source] : undefined;
    return {
      Type: volume.type as Mount['Type'],
      ...optional('Source', named ? stackVolumeName(volume.source!, named, names.stack) : volume.source),
      Target: volume.target,
      ...optional('ReadOnly', volume.read_only || undefined),
      ...optional('Consistency', volume.consistency),
      ...optional('BindOptions', volume.type === 'bind' && volume.bind?.propagation !== undefined ? { Propagation: volume.bind.propagation } : undefined),
      ...(named ? { VolumeOptions: volumeOptions(named, volume.volume?.nocopy === true, names.stack) } : {}),
      ...optional('TmpfsOptions', volume.type === 'tmpfs' && volume.tmpfs ? { ...optional('SizeBytes', volume.tmpfs.size), ...optional('Mode', volume.tmpfs.mode) } : undefined),
    };
  });
}

/** An external volume by its own name; the stack's own as `<stack>_<key>` unless the file names it. */
function stackVolumeName(key: string, volume: Record<string, unknown>, stack: string): string {
  return volume.external === true ? (volume.name as string) : ((volume.name as string | undefined) ?? `${stack}_${key}`);
}

/** A stack volume is made on each node at first use, with the top-level volume's labels, driver and options; an external one exists already. */
function volumeOptions(volume: Record<string, unknown>, noCopy: boolean, stack: string): NonNullable<Mount['VolumeOptions']> {
  const nocopy = optional('NoCopy', noCopy || undefined);
  if (volume.external === true) return nocopy;
  const driver = volume.driver as string | undefined;
  const options = volume.driver_opts as Record<string, string> | undefined;
  return {
    ...nocopy,
    Labels: { ...(volume.labels as Record<string, string> | undefined), [STACK_NAMESPACE_LABEL]: stack },
    ...(driver || options ? { DriverConfig: { ...optional('Name', driver), ...optional('Options', options) } } : {}),
  };
}

/** CPUs and bytes of memory (the loader reads "0.5" and "64M") in Engine API units. */
function resources(value: unknown): { Limits?: ResourceAmounts; Reservations?: ResourceAmounts } | undefined {
  if (!isRecord(value)) return undefined;
  const amounts = (raw: unknown): ResourceAmounts | undefined => {
    if (!isRecord(raw)) return undefined;
    return {
      ...optional('NanoCPUs', raw.cpus === undefined ? undefined : Math.round((raw.cpus as number) * 1e9)),
      ...optional('MemoryBytes', raw.memory as number | undefined),
      ...optional('Pids', raw.pids as number | undefined),
    };
  };
  const limits = amounts(value.limits);
  const reservations = amounts(value.reservations);
  return limits || reservations ? { ...optional('Limits', limits), ...optional('Reservations', reservations) } : undefined;
}

function restartPolicy(value: unknown): ServiceSpec['TaskTemplate']['RestartPolicy'] {
  if (!isRecord(value)) return undefined;
  return {
    ...optional('Condition', value.condition as string | undefined),
    ...optional('Delay', durationToNanoseconds(value.delay)),
    ...optional('MaxAttempts', value.max_attempts as number | undefined),
    ...optional('Window', durationToNanoseconds(value.window)),
  };
}

function placement(value: unknown): ServiceSpec['TaskTemplate']['Placement'] {
  if (!isRecord(value)) return undefined;
  const preferences = Array.isArray(value.preferences) ? (value.preferences as { spread: string }[]).map((preference) => ({ Spread: { SpreadDescriptor: preference.spread } })) : undefined;
  return {
    ...optional('Constraints', value.constraints as string[] | undefined),
    ...optional('Preferences', preferences),
    ...optional('MaxReplicas', value.max_replicas_per_node as number | undefined),
  };
}

function updateConfig(value: unknown): UpdateConfig | undefined {
  if (!isRecord(value)) return undefined;
  return {
    ...optional('Parallelism', value.parallelism as number | undefined),
    ...optional('Delay', durationToNanoseconds(value.delay)),
    ...optional('FailureAction', value.failure_action as string | undefined),
    ...optional('Monitor', durationToNanoseconds(value.monitor)),
    ...optional('MaxFailureRatio', value.max_failure_ratio as number | undefined),
    ...optional('Order', value.order as string | undefined),
  };
}

function logDriver(value: unknown): ServiceSpec['TaskTemplate']['LogDriver'] {
  if (!isRecord(value) || typeof value.driver !== 'string') return undefined;
  return { Name: value.driver, ...optional('Options', value.options as Record<string, string> | undefined) };
}

function ulimits(value: unknown): ContainerSpec['Ulimits'] {
  if (!isRecord(value)) return undefined;
  return Object.entries(value)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, limit]) => (typeof limit === 'number' ? { Name: name, Soft: limit, Hard: limit } : { Name: name, Soft: Number((limit as Data).soft), Hard: Number((limit as Data).hard) }));
}
