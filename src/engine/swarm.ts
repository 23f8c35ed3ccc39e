import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { TscomposeError } from '../errors.js';
import { STACK_NAMESPACE_LABEL, type ObjectSource, type ObservedSwarm, type ObservedSwarmService, type PlannedStackService, type ServiceSpec, type SwarmNetworkCreateRequest } from '../planner/swarm/types.js';
import type { EngineConnection } from './client.js';
import { LogLineSplitter, type LogLine } from './project-containers.js';
import type { RegistryCredentials } from './registry-auth.js';
import { engineMessage, ignoreNotFound } from './responses.js';

/** Swarm objects as the Engine API lists them (the fields read here). */
interface EngineService {
  ID: string;
  Version: { Index: number };
  Spec: ServiceSpec & { Mode: Record<string, { Replicas?: number; TotalCompletions?: number }> };
  Endpoint?: { Ports?: { PublishedPort?: number; Protocol?: string; PublishMode?: string }[] };
}
interface EngineObject {
  ID: string;
  Spec: { Name: string; Labels?: Record<string, string> };
}

const MODE_NAMES: Record<string, PlannedStackService['mode']> = { Replicated: 'replicated', Global: 'global', ReplicatedJob: 'replicated-job', GlobalJob: 'global-job' };

/** Whether the engine is a manager of a swarm: only a manager takes services. */
export async function isSwarmManager(connection: EngineConnection): Promise<boolean> {
  const info = (await connection.docker.info()) as { Swarm?: { ControlAvailable?: boolean } };
  return info.Swarm?.ControlAvailable === true;
}

/** One snapshot of the swarm: every service (their published ports can conflict), network, secret and config. */
export async function observeSwarm(connection: EngineConnection): Promise<ObservedSwarm> {
  if (!(await isSwarmManager(connection))) return { manager: false, services: [], networks: [], secrets: [], configs: [] };
  const { docker } = connection;
  const [services, networks, secrets, configs] = await Promise.all([
    docker.listServices() as Promise<unknown> as Promise<EngineService[]>,
    docker.listNetworks(),
    docker.listSecrets() as Promise<unknown> as Promise<EngineObject[]>,
    docker.listConfigs() as Promise<unknown> as Promise<EngineObject[]>,
  ]);
  return {
    manager: true,
    services: services.map(observedService),
    networks: networks.map((network) => ({ id: network.Id, name: network.Name, labels: network.Labels ?? {}, driver: network.Driver, scope: network.Scope })),
    secrets: secrets.map(observedObject),
    configs: configs.map(observedObject),
  };
}

function observedService(service: EngineService): ObservedSwarmService {
  const [modeKey = 'Replicated', mode = {}] = (Object.entries(service.Spec.Mode)[0] ?? []) as [string?, { Replicas?: number; TotalCompletions?: number }?];
  const replicas = mode.Replicas ?? mode.TotalCompletions;
  return {
    id: service.ID,
    name: service.Spec.Name,
    version: service.Version.Index,
    labels: service.Spec.Labels ?? {},
    mode: MODE_NAMES[modeKey] ?? 'replicated',
    image: service.Spec.TaskTemplate.ContainerSpec.Image,
    ...(replicas === undefined ? {} : { replicas }),
    ports: (service.Endpoint?.Ports ?? []).map((port) => ({ published: port.PublishedPort ?? 0, protocol: port.Protocol ?? 'tcp', mode: port.PublishMode ?? 'ingress' })),
  };
}

function observedObject(object: EngineObject): { id: string; name: string; labels: Record<string, string> } {
  return { id: object.ID, name: object.Spec.Name, labels: object.Spec.Labels ?? {} };
}

/** The stacks on the swarm: namespace → number of services. */
export async function listStacks(connection: EngineConnection): Promise<Map<string, number>> {
  const services = (await connection.docker.listServices({ filters: JSON.stringify({ label: [STACK_NAMESPACE_LABEL] }) })) as unknown as EngineService[];
  const stacks = new Map<string, number>();
  for (const service of services) {
    const name = service.Spec.Labels?.[STACK_NAMESPACE_LABEL];
    if (name !== undefined) stacks.set(name, (stacks.get(name) ?? 0) + 1);
  }
  return stacks;
}

/**
 * The image pinned to the digest its registry has now (`name:tag@sha256:…`), as `--resolve-image`
 * does; undefined when the registry cannot be asked (a local-only image), as docker then warns.
 */
export async function resolveImageDigest(connection: EngineConnection, image: string, credentials?: RegistryCredentials): Promise<string | undefined> {
  const handle = connection.docker.getImage(image) as unknown as { distribution(options: object): Promise<{ Descriptor?: { digest?: string } }> };
  try {
    const found = await handle.distribution(credentials ? { authconfig: credentials } : {});
    const digest = found.Descriptor?.digest;
    return digest ? `${image.split('@')[0]}@${digest}` : undefined;
  } catch {
    return undefined;
  }
}

/** A file whose content is no longer what was planned. */
export class ObjectSourceChangedError extends TscomposeError {}

/** How long a network may stay in use by tasks that are shutting down. */
const NETWORK_IN_USE_TIMEOUT_MS = 60_000;

/** POST /networks/create of a swarm-scoped network. */
export async function createSwarmNetwork(connection: EngineConnection, body: SwarmNetworkCreateRequest): Promise<void> {
  await connection.docker.createNetwork({ ...body, CheckDuplicate: true } as Docker.NetworkCreateOptions);
}

/** POST /secrets/create with the file's content, checked against the planned digest. */
export async function createSecret(connection: EngineConnection, source: ObjectSource): Promise<void> {
  await connection.docker.createSecret({ Name: source.Name, Labels: source.Labels, Data: await plannedContent(source.file, source.digest) });
}

/** POST /configs/create with the file's content, checked against the planned digest. */
export async function createConfig(connection: EngineConnection, source: ObjectSource): Promise<void> {
  await connection.docker.createConfig({ Name: source.Name, Labels: source.Labels, Data: await plannedContent(source.file, source.digest) });
}

export async function removeSecret(connection: EngineConnection, id: string): Promise<void> {
  await ignoreNotFound(connection.docker.getSecret(id).remove());
}

export async function removeConfig(connection: EngineConnection, id: string): Promise<void> {
  await ignoreNotFound(connection.docker.getConfig(id).remove());
}

/** POST /services/create; `registryAuth` is the X-Registry-Auth of its image, for --with-registry-auth. */
export async function createService(connection: EngineConnection, spec: ServiceSpec, registryAuth?: string): Promise<void> {
  const { docker } = connection;
  const create = docker.createService as (auth: unknown, spec: unknown) => Promise<unknown>;
  await create.call(docker, registryAuth === undefined ? undefined : { key: registryAuth }, await withObjectIds(docker, spec));
}

/** POST /services/{id}/update?version=N: a rolling update; the service keeps its id. */
export async function updateService(connection: EngineConnection, id: string, version: number, spec: ServiceSpec, registryAuth?: string): Promise<void> {
  const service = connection.docker.getService(id);
  const update = service.update as (auth: unknown, spec: unknown) => Promise<unknown>;
  await update.call(service, registryAuth === undefined ? undefined : { key: registryAuth }, { ...(await withObjectIds(connection.docker, spec)), version });
}

export async function removeService(connection: EngineConnection, id: string): Promise<void> {
  await ignoreNotFound(connection.docker.getService(id).remove());
}

/** The file's content in base64, as planned: a file changed since planning would deploy what the plan did not show. */
async function plannedContent(file: string, digest: string): Promise<string> {
  const content = await process.getBuiltinModule('node:fs/promises').readFile(file);
  if (process.getBuiltinModule('node:crypto').createHash('sha256').update(content).digest('hex') !== digest) {
    throw new ObjectSourceChangedError(`${file} changed after planning`, { hint: 'deploy again: the new content gets a new name' });
  }
  return content.toString('base64');
}

/** The engine wants the ids of secrets and configs beside their names; the plan knows only names. */
async function withObjectIds(docker: Docker, spec: ServiceSpec): Promise<ServiceSpec> {
  const container = spec.TaskTemplate.ContainerSpec;
  if (container.Secrets.length + container.Configs.length === 0) return spec;
  const [secrets, configs] = await Promise.all([docker.listSecrets() as Promise<unknown> as Promise<EngineObject[]>, docker.listConfigs() as Promise<unknown> as Promise<EngineObject[]>]);
  const idOf = (objects: EngineObject[], name: string) => objects.find((object) => object.Spec.Name === name)?.ID;
  return {
    ...spec,
    TaskTemplate: {
      ...spec.TaskTemplate,
      ContainerSpec: {
        ...container,
        Secrets: container.Secrets.map((secret) => ({ ...secret, SecretID: idOf(secrets, secret.SecretName!) })),
        Configs: container.Configs.map((config) => ({ ...config, ConfigID: idOf(configs, config.ConfigName!) })),
      },
    },
  };
}

/** DELETE /networks/{id}, waiting while tasks of removed services still hold it (a bounded wait). */
export async function removeSwarmNetwork(connection: EngineConnection, id: string): Promise<void> {
  const { docker } = connection;
  const deadline = Date.now() + NETWORK_IN_USE_TIMEOUT_MS;
  for (;;) {
    try {
      await ignoreNotFound(docker.getNetwork(id).remove());
      return;
    } catch (error) {
      if (!/active endpoints|in use/i.test(engineMessage(error)) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** A task of a stack's service, as `stack ps` shows it. */
export interface StackTask {
  id: string;
  serviceId: string;
  /** `<service>.<slot>` or `<service>.<node id>` for global services. */
  name: string;
  nodeId: string;
  image: string;
  desiredState: string;
  state: string;
  /** The task's error, or its status message. */
  error: string;
  message: string;
  containerId?: string;
  createdAt: string;
  updatedAt: string;
  /** When the task entered its current state. */
  stateSince: string;
  ports: string[];
}

interface EngineTask {
  ID: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  DesiredState: string;
  CreatedAt: string;
  UpdatedAt: string;
  Spec: { ContainerSpec?: { Image?: string } };
  Status: { State: string; Timestamp: string; Message?: string; Err?: string; ContainerStatus?: { ContainerID?: string }; PortStatus?: { Ports?: { PublishedPort?: number; TargetPort?: number; Protocol?: string }[] } };
}

/** The tasks of the given services (all of the stack's when `services` lists them all). */
export async function stackTasks(connection: EngineConnection, services: readonly { id: string; name: string }[]): Promise<StackTask[]> {
  if (services.length === 0) return [];
  const tasks = (await connection.docker.listTasks({ filters: JSON.stringify({ service: services.map((service) => service.id) }) })) as unknown as EngineTask[];
  const nameOf = new Map(services.map((service) => [service.id, service.name]));
  return tasks.map((task) => ({
    id: task.ID,
    serviceId: task.ServiceID,
    name: `${nameOf.get(task.ServiceID) ?? task.ServiceID}.${task.Slot ?? task.NodeID ?? ''}`,
    nodeId: task.NodeID ?? '',
    image: task.Spec.ContainerSpec?.Image ?? '',
    desiredState: task.DesiredState,
    state: task.Status.State,
    error: task.Status.Err ?? '',
    message: task.Status.Message ?? '',
    ...(task.Status.ContainerStatus?.ContainerID ? { containerId: task.Status.ContainerStatus.ContainerID } : {}),
    createdAt: task.CreatedAt,
    updatedAt: task.UpdatedAt,
    stateSince: task.Status.Timestamp,
    // The engine lists a host-mode port once per address family.
    ports: [...new Set((task.Status.PortStatus?.Ports ?? []).map((port) => `*:${port.PublishedPort}->${port.TargetPort}/${port.Protocol}`))],
  }));
}

/** The last lines a task wrote (stdout and stderr), for the report of a task that failed. */
export async function taskLogTail(connection: EngineConnection, taskId: string, lines = 20): Promise<string[]> {
  const task = connection.docker.getTask(taskId) as unknown as { logs(options: object): Promise<Buffer> };
  const buffer = await ignoreNotFound(task.logs({ stdout: true, stderr: true, tail: lines, follow: false }));
  if (!buffer) return [];
  const out: string[] = [];
  await new Promise<void>((resolve, reject) => {
    Readable.from([buffer]).pipe(new LogLineSplitter(false)).on('data', (line: LogLine) => out.push(line.text)).on('end', resolve).on('error', reject);
  });
  return out;
}

/** Nodes of the swarm: id → hostname. */
export async function swarmNodes(connection: EngineConnection): Promise<Map<string, string>> {
  const nodes = (await connection.docker.listNodes()) as { ID: string; Description?: { Hostname?: string } }[];
  return new Map(nodes.map((node) => [node.ID, node.Description?.Hostname ?? node.ID]));
}

/** The stack's services as the engine reports them: mode, replicas running and wanted, image, ports. */
export interface StackServiceStatus {
  id: string;
  name: string;
  mode: PlannedStackService['mode'];
  /** Tasks running / wanted (for global services, one per eligible node). */
  running: number;
  desired: number;
  image: string;
  ports: string[];
}

/** The stack's services with their running and wanted task counts. */
export async function stackServices(connection: EngineConnection, stack: string): Promise<StackServiceStatus[]> {
  const services = (await (connection.docker.listServices as (options: object) => Promise<unknown>)({ filters: JSON.stringify({ label: [`${STACK_NAMESPACE_LABEL}=${stack}`] }), status: true })) as (EngineService & { ServiceStatus?: { RunningTasks: number; DesiredTasks: number } })[];
  return services
    .map((service) => ({
      id: service.ID,
      name: service.Spec.Name,
      mode: observedService(service).mode,
      running: service.ServiceStatus?.RunningTasks ?? 0,
      desired: service.ServiceStatus?.DesiredTasks ?? 0,
      image: service.Spec.TaskTemplate.ContainerSpec.Image,
      ports: (service.Endpoint?.Ports ?? []).map((port) => `*:${port.PublishedPort}->${(port as { TargetPort?: number }).TargetPort}/${port.Protocol}`),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}
