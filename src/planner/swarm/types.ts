/**
 * The stack plan: what `stack deploy` does to a swarm, as plain data. Its JSON form is a public
 * contract (schemas/stack-plan.schema.json, docs/plan-format.md); `stack deploy --dry-run
 * --format json` prints it. Every operation is one Engine API call with its cause.
 */
import type { ContainerCreateRequest } from '../types.js';

export const STACK_PLAN_FORMAT_VERSION = 1;

/** The label by which docker (and tscompose) finds a stack's services, networks, secrets and configs. */
export const STACK_NAMESPACE_LABEL = 'com.docker.stack.namespace';
/** The image as the compose file names it, before --resolve-image pinned a digest (as docker sets it). */
export const STACK_IMAGE_LABEL = 'com.docker.stack.image';
/** Hash of the service spec tscompose sent; an equal hash means no update is needed. */
export const STACK_SPEC_HASH_LABEL = 'com.docker.stack.tscompose.spec-hash';

export type StackAction = 'create' | 'update' | 'keep' | 'remove' | 'external';

export interface StackPlan {
  formatVersion: typeof STACK_PLAN_FORMAT_VERSION;
  target: 'swarm';
  stack: string;
  /** Whether the plan was made against a swarm's observed state, or from empty state. */
  observed: boolean;
  networks: PlannedStackNetwork[];
  secrets: PlannedStackObject[];
  configs: PlannedStackObject[];
  services: PlannedStackService[];
  /** The Engine API calls in a valid order; each depends only on earlier ones. */
  operations: StackOperation[];
  /** What stops the plan before anything is created. When there is any, `operations` is empty. */
  conflicts: StackConflict[];
  warnings: string[];
}

export interface PlannedStackNetwork {
  key: string;
  name: string;
  action: StackAction;
  cause: string;
  driver: string;
  existingId?: string;
}

/** A secret or a config: immutable on the engine, so its name carries a digest of its content. */
export interface PlannedStackObject {
  key: string;
  name: string;
  action: StackAction;
  cause: string;
  /** sha256 of the content, for objects the stack creates. */
  digest?: string;
  existingId?: string;
}

export interface PlannedStackService {
  /** Key under `services:`. */
  key: string;
  name: string;
  action: StackAction;
  cause: string;
  mode: 'replicated' | 'global' | 'replicated-job' | 'global-job';
  replicas?: number;
  networks: { name: string; aliases: string[] }[];
  ports: { target: number; published?: number; protocol: string; mode: 'ingress' | 'host' }[];
  specHash: string;
  existingId?: string;
}

/** Body of POST /services/create and /services/{id}/update, in Engine API terms. */
export interface ServiceSpec {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: {
    ContainerSpec: ContainerSpec;
    Resources?: { Limits?: ResourceAmounts; Reservations?: ResourceAmounts };
    RestartPolicy?: { Condition?: string; Delay?: number; MaxAttempts?: number; Window?: number };
    Placement?: { Constraints?: string[]; Preferences?: { Spread: { SpreadDescriptor: string } }[]; MaxReplicas?: number };
    Networks: { Target: string; Aliases: string[]; DriverOpts?: Record<string, string> }[];
    LogDriver?: { Name: string; Options?: Record<string, string> };
  };
  Mode: { Replicated: { Replicas: number } } | { Global: Record<string, never> } | { ReplicatedJob: { MaxConcurrent: number; TotalCompletions: number } } | { GlobalJob: Record<string, never> };
  UpdateConfig?: UpdateConfig;
  RollbackConfig?: UpdateConfig;
  EndpointSpec: { Mode: 'vip' | 'dnsrr'; Ports: { Protocol: string; TargetPort: number; PublishedPort?: number; PublishMode: 'ingress' | 'host' }[] };
}

export interface ContainerSpec {
  Image: string;
  Labels: Record<string, string>;
  Command?: string[];
  Args?: string[];
  Hostname?: string;
  Env: string[];
  Dir?: string;
  User?: string;
  TTY?: boolean;
  OpenStdin?: boolean;
  ReadOnly?: boolean;
  Mounts: Mount[];
  StopSignal?: string;
  StopGracePeriod?: number;
  Healthcheck?: ContainerCreateRequest['Healthcheck'];
  Hosts?: string[];
  DNSConfig?: { Nameservers?: string[]; Search?: string[]; Options?: string[] };
  Secrets: FileReference<'SecretID' | 'SecretName'>[];
  Configs: FileReference<'ConfigID' | 'ConfigName'>[];
  Init?: boolean;
  CapabilityAdd?: string[];
  CapabilityDrop?: string[];
  Sysctls?: Record<string, string>;
  Ulimits?: { Name: string; Soft: number; Hard: number }[];
}

/** A secret or config reference; its id is filled in by the runner from the name (the engine wants both). */
export type FileReference<K extends string> = { File: { Name: string; UID: string; GID: string; Mode: number } } & { [P in K]?: string };

export interface Mount {
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation: string };
  /** Labels and driver only for the stack's own volumes (an external one exists already). */
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string>; DriverConfig?: { Name?: string; Options?: Record<string, string> } };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface ResourceAmounts {
  NanoCPUs?: number;
  MemoryBytes?: number;
  Pids?: number;
}

export interface UpdateConfig {
  Parallelism?: number;
  Delay?: number;
  FailureAction?: string;
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: string;
}

export interface SwarmNetworkCreateRequest {
  Name: string;
  Driver: string;
  Options: Record<string, string>;
  Labels: Record<string, string>;
  Attachable: boolean;
  Internal: boolean;
  Scope: 'swarm';
  IPAM?: { Driver: string; Config: { Subnet?: string; IPRange?: string; Gateway?: string }[] };
}

/** What every stack operation has, whatever its kind. */
interface StackOperationCommon {
  /** Stable id, made of what the call does and to what (`create-service:shop_web`): the dry run and the real run give the same ids. */
  id: string;
  /** `network:<name>`, `secret:<name>`, `config:<name>` or `service:<name>`. */
  resource: string;
  /** Ids of the operations that must be done first; all are earlier in the list. */
  dependsOn: string[];
  cause: string;
}

/** Where the runner reads a secret's or config's content; `digest` is checked so that what runs is what was planned. */
export interface ObjectSource {
  Name: string;
  Labels: Record<string, string>;
  /** Absolute path of the file. */
  file: string;
  digest: string;
}

/** Each stack operation kind with the fields its Engine API call needs. */
export interface StackOperationBodies {
  CreateNetwork: { body: SwarmNetworkCreateRequest };
  RemoveNetwork: { engineId: string };
  CreateSecret: { body: ObjectSource };
  RemoveSecret: { engineId: string };
  CreateConfig: { body: ObjectSource };
  RemoveConfig: { engineId: string };
  CreateService: { body: ServiceSpec };
  /** `version`: the service's version the update applies to (the engine refuses a stale one). */
  UpdateService: { engineId: string; version: number; body: ServiceSpec };
  RemoveService: { engineId: string };
}

/** One stack operation of the given kind. */
export type StackOperationOf<K extends keyof StackOperationBodies> = StackOperationCommon & { kind: K } & StackOperationBodies[K];

/** One Engine API call on the swarm: a discriminated union by `kind`. */
export type StackOperation = { [K in keyof StackOperationBodies]: StackOperationOf<K> }[keyof StackOperationBodies];

export type StackOperationKind = StackOperation['kind'];

export type StackConflictKind = 'not-a-swarm-manager' | 'external-missing' | 'port-in-use' | 'name-taken';

export interface StackConflict {
  kind: StackConflictKind;
  message: string;
  resource: string;
}

/** What the swarm holds, in one snapshot: the stack planner's only knowledge of the engine. */
export interface ObservedSwarm {
  /** Whether the engine is a swarm manager (only a manager takes services). */
  manager: boolean;
  services: ObservedSwarmService[];
  networks: ObservedSwarmObject[];
  secrets: ObservedSwarmObject[];
  configs: ObservedSwarmObject[];
}

export interface ObservedSwarmService {
  id: string;
  name: string;
  version: number;
  labels: Record<string, string>;
  mode: PlannedStackService['mode'];
  /** The image its tasks run (pinned to a digest when it was resolved). */
  image: string;
  /** Replicas wanted, for replicated services. */
  replicas?: number;
  /** Published ports: ingress ports are held swarm-wide. */
  ports: { published: number; protocol: string; mode: string }[];
}

export interface ObservedSwarmObject {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** Networks: the driver and scope ("swarm" for overlay networks services can use). */
  driver?: string;
  scope?: string;
}
