/**
 * The plan: what `up` will do, as plain serializable data. Its JSON form is a public contract
 * described by schemas/plan.schema.json; `--dry-run --format json` prints it.
 */

export const PLAN_FORMAT_VERSION = 2;

/** What happens to a resource. */
export type ResourceAction = 'create' | 'keep' | 'recreate' | 'remove' | 'external';

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  project: string;
  /** Engine API version the calls are planned for. Below 1.44 a container is created on one network and connected to the others before it starts. */
  apiVersion: string;
  /** Whether the plan was made against an engine's observed state, or from empty state (no engine). */
  observed: boolean;
  networks: PlannedNetwork[];
  volumes: PlannedVolume[];
  /** The images the containers run: kept, pulled or built before any container is created. */
  images: PlannedImage[];
  containers: PlannedContainer[];
  /** Containers of this project the plan removes: orphans (with removeOrphans) and replicas beyond the scale. */
  removals: RemovedContainer[];
  /** The DAG of Engine API calls, in a valid order; each depends only on earlier ones. */
  operations: Operation[];
  /** What stops the plan before anything is created. When there is any, `operations` is empty. */
  conflicts: Conflict[];
  warnings: string[];
}

export interface PlannedNetwork {
  /** Key under `networks:` in the compose file. */
  key: string;
  /** Name on the engine. */
  name: string;
  action: ResourceAction;
  /** Why: "not found", the changes of a recreate (`labels.tier: "a" → "b"`), "unchanged", "external". */
  cause: string;
  /** For a recreate: what changed, path by path (empty when the old configuration was not recorded). */
  changes?: ConfigChange[];
  driver: string;
  subnets: string[];
  internal: boolean;
  configHash: string;
  /** Body of POST /networks/create, for networks that are created or recreated. */
  request?: NetworkCreateRequest;
  /** Id of the network on the engine, when it exists. */
  existingId?: string;
}

/** One difference between what a resource was created from and what the file now says. */
export interface ConfigChange {
  /** Where, in compose terms: `environment.LOG_LEVEL`, `ports[0].published`, `image`. */
  path: string;
  /** The value before; absent when the setting was not there (or is secret). */
  from?: unknown;
  /** The value now; absent when the setting was removed (or is secret). */
  to?: unknown;
  /** A secret value changed: named, never shown. */
  secret?: true;
}

export interface PlannedVolume {
  /** Key under `volumes:` in the compose file. */
  key: string;
  /** Name on the engine. */
  name: string;
  action: ResourceAction;
  cause: string;
  /** Body of POST /volumes/create, for volumes that are created. */
  request?: VolumeCreateRequest;
}

/** What happens to an image before containers are created from it. */
export type ImageAction = 'keep' | 'pull' | 'build';

export interface PlannedImage {
  /** The name containers are created from: `image:`, or `<project>-<service>` for a built image without one. */
  name: string;
  /** Services whose containers run it. */
  services: string[];
  action: ImageAction;
  /** Why: "not found", "pull_policy: always", "--build", "present", "last tagged …, older than 24h". */
  cause: string;
  /** Image id on the engine, when it is there. */
  existingId?: string;
  /** For action `build`: the build, in Engine API terms. */
  build?: ImageBuild;
}

/** A `build:` section as POST /build takes it: the context to send and the query. */
export interface ImageBuild {
  service: string;
  /** Absolute context directory. */
  context: string;
  /** Dockerfile path relative to the context (or absolute); absent with `dockerfileInline`. */
  dockerfile?: string;
  /** `dockerfile_inline`: the Dockerfile text. */
  dockerfileInline?: string;
  /** Query parameters of POST /build, except `dockerfile` (the path inside the context tar is only known when it is made). */
  query: ImageBuildQuery;
}

export interface ImageBuildQuery {
  /** Names to tag the result with: the image name first, then `build.tags`. */
  t: string[];
  buildargs: Record<string, string>;
  labels: Record<string, string>;
  target?: string;
  networkmode?: string;
  /** `host:ip`, one per address. */
  extrahosts?: string[];
  nocache?: boolean;
  pull?: boolean;
  /** Removes intermediate containers, also after a failed step (as compose does). */
  rm: boolean;
  forcerm: boolean;
}

export interface NetworkCreateRequest {
  Name: string;
  Driver: string;
  Options: Record<string, string>;
  IPAM: { Driver: string; Config: IpamPool[]; Options: Record<string, string> };
  Internal: boolean;
  Attachable: boolean;
  EnableIPv6: boolean;
  Labels: Record<string, string>;
  CheckDuplicate: boolean;
}

export interface IpamPool {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

export interface PlannedContainer {
  service: string;
  /** Replica number, from 1. */
  number: number;
  name: string;
  action: ResourceAction;
  /** Why: "not found", the changes of a recreate (`environment.LOG_LEVEL: "info" → "debug"`), "unchanged", "--force-recreate"… */
  cause: string;
  /** For a recreate: what changed, path by path (empty when the old configuration was not recorded). */
  changes?: ConfigChange[];
  configHash: string;
  existingId?: string;
  /** Body of POST /containers/create?name=…; its NetworkingConfig holds only the endpoints given at create time. */
  request: ContainerCreateRequest;
  /** Every network attachment in priority order, and how it is made. */
  networks: NetworkAttachment[];
  ports: PublishedPort[];
  dependsOn: PlannedDependency[];
}

export interface RemovedContainer {
  name: string;
  service: string;
  existingId: string;
  action: 'remove';
  /** "orphan" or "scaled down". */
  cause: string;
}

export interface NetworkAttachment {
  /** Network key in the compose file. */
  network: string;
  /** Network name on the engine. */
  networkName: string;
  aliases: string[];
  ipv4Address?: string;
  ipv6Address?: string;
  macAddress?: string;
  priority: number;
  /** `create`: in the create call; `connect`: POST /networks/{id}/connect after create, before start. */
  via: 'create' | 'connect';
  endpoint: EndpointSettings;
}

export interface EndpointSettings {
  Aliases?: string[];
  Links?: string[];
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] };
  MacAddress?: string;
  DriverOpts?: Record<string, string>;
  /** Which network's gateway is the default route (highest first); API 1.48 and newer. */
  GwPriority?: number;
}

export interface PublishedPort {
  protocol: string;
  containerPort: number;
  /** Host address; "" binds every interface. */
  hostIp: string;
  /** Host port or range; absent for a random port chosen at start. */
  hostPort?: string;
  /** How the host reaches it, e.g. "127.0.0.1:8001"; "0.0.0.0:<random>" for a container to be created, the port the engine assigned for a kept one. */
  fromHost: string;
  /** How other containers of the project reach it, e.g. ["db:5432"]. */
  fromNetwork: string[];
}

export interface PlannedDependency {
  service: string;
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  required: boolean;
}

/** Container create body, in Engine API terms (fields the planner sets). */
export interface ContainerCreateRequest {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env: string[];
  Labels: Record<string, string>;
  Hostname?: string;
  Domainname?: string;
  User?: string;
  WorkingDir?: string;
  Tty?: boolean;
  OpenStdin?: boolean;
  /** `run`'s interactive one-off: stdin attached, closed when the client ends it. */
  AttachStdin?: boolean;
  StdinOnce?: boolean;
  StopSignal?: string;
  StopTimeout?: number;
  MacAddress?: string;
  /** `network_mode: disabled`: no networking at all. */
  NetworkDisabled?: boolean;
  ExposedPorts: Record<string, Record<string, never>>;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number; StartInterval?: number };
  HostConfig: HostConfig;
  NetworkingConfig: { EndpointsConfig: Record<string, EndpointSettings> };
}

export interface HostConfig {
  NetworkMode: string;
  PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
  PublishAllPorts: boolean;
  Dns: string[];
  DnsSearch: string[];
  DnsOptions: string[];
  ExtraHosts: string[];
  Links: string[];
  RestartPolicy?: { Name: string; MaximumRetryCount?: number };
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  /** `run --rm`: removed by the engine when it exits. */
  AutoRemove?: boolean;
  Init?: boolean;
  CapAdd?: string[];
  CapDrop?: string[];
  Sysctls?: Record<string, string>;
  Tmpfs?: Record<string, string>;
  /** Binds and named volumes compose gives as `source:target[:options]`: they create a missing host path. */
  Binds?: string[];
  /** The rest of `volumes:`: anonymous volumes, tmpfs, and what the Binds form cannot say. */
  Mounts?: ContainerMount[];
  /** `volumes_from`: `<container>[:ro|rw]`, a service named by its first replica's container. */
  VolumesFrom?: string[];
  ShmSize?: number;
  /** `ipc`, `pid`: a service's namespace as `container:<its first replica>`. */
  IpcMode?: string;
  PidMode?: string;
  UTSMode?: string;
  UsernsMode?: string;
  CgroupnsMode?: string;
  SecurityOpt?: string[];
  /** Empty with `security_opt: [systempaths=unconfined]`: nothing masked, nothing read-only under /proc and /sys. */
  MaskedPaths?: string[];
  ReadonlyPaths?: string[];
  GroupAdd?: string[];
  OomScoreAdj?: number;
  StorageOpt?: Record<string, string>;
  Runtime?: string;
  Isolation?: string;
  LogConfig?: { Type: string; Config?: Record<string, string> };
  /** Engine API 1.43 and newer. */
  Annotations?: Record<string, string>;
  // Resources: the cgroup settings compose's getDeployResources makes.
  CgroupParent?: string;
  /** Bytes. */
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  MemorySwappiness?: number;
  OomKillDisable?: boolean;
  /** CPUs in units of 10⁻⁹. */
  NanoCpus?: number;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpuRealtimePeriod?: number;
  CpuRealtimeRuntime?: number;
  CpuCount?: number;
  CpuPercent?: number;
  CpusetCpus?: string;
  PidsLimit?: number;
  Ulimits?: { Name: string; Soft: number; Hard: number }[];
  Devices?: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[];
  DeviceCgroupRules?: string[];
  DeviceRequests?: DeviceRequest[];
  BlkioWeight?: number;
  BlkioWeightDevice?: { Path: string; Weight: number }[];
  BlkioDeviceReadBps?: ThrottleDevice[];
  BlkioDeviceReadIOps?: ThrottleDevice[];
  BlkioDeviceWriteBps?: ThrottleDevice[];
  BlkioDeviceWriteIOps?: ThrottleDevice[];
}

/** Devices a driver provides: GPUs (`gpus`, `deploy.resources.reservations.devices`), or CDI devices. */
export interface DeviceRequest {
  Driver?: string;
  /** -1: all of them. */
  Count?: number;
  DeviceIDs?: string[];
  Capabilities?: string[][];
  Options?: Record<string, string>;
}

/** A rate limit on one block device: bytes or operations per second. */
export interface ThrottleDevice {
  Path: string;
  Rate: number;
}

/** What a WaitContainer operation waits for. */
export type WaitCondition = 'running' | 'healthy' | 'exited-successfully';

/** One of HostConfig.Mounts, as the Engine API takes it. */
export interface ContainerMount {
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  /** A host path, a volume's engine name, an image; absent for an anonymous volume and tmpfs. */
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: {
    Propagation?: string;
    /** Sub-mounts are not mounted (`recursive: disabled`). */
    NonRecursive?: boolean;
    /** A missing host path is created (Engine API 1.42 and newer). */
    CreateMountpoint?: boolean;
    /** Read-only, sub-mounts not (`recursive: writable`); read-only, sub-mounts too (`recursive: readonly`, API 1.44). */
    ReadOnlyNonRecursive?: boolean;
    ReadOnlyForceRecursive?: boolean;
  };
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string>; Subpath?: string };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
  ImageOptions?: { Subpath?: string };
}

/** Body of POST /volumes/create. */
export interface VolumeCreateRequest {
  Name: string;
  Driver: string;
  DriverOpts: Record<string, string>;
  Labels: Record<string, string>;
}

/** Body of POST /networks/{id}/connect. */
export interface NetworkConnectRequest {
  Container: string;
  EndpointConfig: EndpointSettings;
}

/**
 * A secret or config given by `environment:` or `content:`, written into a container after create
 * and before start, as compose does. Its text is not in the plan: `from` and `name` say which,
 * and the runner takes the text from the project when it writes the file.
 */
export interface ContainerFile {
  from: 'secret' | 'config';
  /** Key under the top-level `secrets:` or `configs:`. */
  name: string;
  /** Absolute path in the container. */
  target: string;
  /** Permission bits; 0o444 unless the entry says. */
  mode: number;
  /** Owner; absent: root. */
  uid?: number;
  gid?: number;
}

/** What every operation has, whatever its kind. */
interface OperationCommon {
  /**
   * Stable id, made of what the call does and to what (`create-container:demo-web-1`,
   * `connect-network:demo-web-1:demo_back`): the dry run and the real run give the same ids.
   */
  id: string;
  /** `network:<name>`, `container:<name>`, `volume:<name>` or `image:<name>`. */
  resource: string;
  /** Ids of the operations that must be done first; all are earlier in the list. */
  dependsOn: string[];
  cause: string;
}

/** Each operation kind with the fields its Engine API call needs. */
export interface OperationBodies {
  CreateNetwork: { network: string; body: NetworkCreateRequest };
  RemoveNetwork: { network: string };
  CreateContainer: { container: string; body: ContainerCreateRequest };
  ConnectNetwork: { network: string; container: string; body: NetworkConnectRequest };
  DisconnectNetwork: { network: string; container: string };
  /** One file (a secret or config) into a created container, before it starts: PUT /containers/{id}/archive with a one-file tar. */
  CopyToContainer: { container: string; file: ContainerFile };
  StartContainer: { container: string };
  /** `timeout`: seconds before SIGKILL; absent: the container's own stop timeout (stop_grace_period). */
  StopContainer: { container: string; timeout?: number };
  /** `removeVolumes`: its anonymous volumes go with it (`rm -v`, the API's `v=true`). */
  RemoveContainer: { container: string; removeVolumes?: true };
  /** `signal`: what to send (`kill -s`); absent: SIGKILL. */
  KillContainer: { container: string; signal?: string };
  PauseContainer: { container: string };
  UnpauseContainer: { container: string };
  /** `timeout`: seconds before SIGKILL on its stop; absent: the container's own stop timeout. */
  RestartContainer: { container: string; timeout?: number };
  /** `optional`: on a wait for a `depends_on` with `required: false`: when the container does not get there, its dependents start anyway (with a warning). */
  WaitContainer: { container: string; condition: WaitCondition; optional?: true };
  CreateVolume: { volume: string; body: VolumeCreateRequest };
  RemoveVolume: { volume: string };
  PullImage: { image: string };
  BuildImage: { image: string; body: ImageBuild };
  RemoveImage: { image: string };
}

export type OperationKind = keyof OperationBodies;

/** One operation of the given kind. */
export type OperationOf<K extends OperationKind> = OperationCommon & { kind: K } & OperationBodies[K];

/** One Engine API call (or, for WaitContainer, the polling of one): a discriminated union by `kind`. */
export type Operation = { [K in OperationKind]: OperationOf<K> }[OperationKind];

export type ConflictKind = 'port-in-use' | 'subnet-overlap' | 'container-name-taken' | 'foreign-network' | 'external-network-missing' | 'image-missing' | 'unsupported-setting';

export interface Conflict {
  kind: ConflictKind;
  message: string;
  /** The resource of this project that cannot be made. */
  resource: string;
  /** The engine resource in the way, or (`process`) a process outside Docker holding a host port. */
  holder?: { kind: 'container' | 'network' | 'process'; name: string; project?: string; pid?: number };
}

/** What the engine holds, taken in one snapshot; the planner's only knowledge of the engine. */
export interface ObservedState {
  apiVersion: string;
  containers: ObservedContainer[];
  networks: ObservedNetwork[];
  /** Volumes on the engine; absent when not observed. */
  volumes?: ObservedVolume[];
  /** Images on the engine; absent when not observed (then every image is taken to be there). */
  images?: ObservedImage[];
  /** When the snapshot was taken (ISO 8601): the clock pull policies like `daily` compare with. */
  observedAt?: string;
}

export interface ObservedImage {
  id: string;
  /** Names as the engine lists them: "busybox:latest", "127.0.0.1:5000/team/app:1". */
  tags: string[];
  /** When a tag was last put on it (a pull or build does), ISO 8601; observed only for images a refresh policy asks about. */
  lastTagTime?: string;
}

export interface ObservedVolume {
  name: string;
  labels: Record<string, string>;
}

export interface ObservedContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** Engine state: created, running, exited, paused, restarting… */
  state: string;
  /** Id of the image it was created from. */
  imageId?: string;
  /** Network name → endpoint as attached; `networkId` the network it is attached to (the name may have gone, or been taken by another since). */
  networks: Record<string, { aliases: string[]; ipv4Address?: string; networkId?: string }>;
  /** Published host ports: bindings that hold a host address and port. */
  ports: { hostIp: string; hostPort: number; containerPort: number; protocol: string }[];
}

export interface ObservedNetwork {
  id: string;
  name: string;
  labels: Record<string, string>;
  driver: string;
  subnets: string[];
  /** Ids of attached containers, from inspect; absent when not observed (`up` finds a network's containers by their endpoints). */
  containers?: string[];
}

export interface DownOptions {
  /** Also remove containers of services that are not in the compose file (without a model, all are removed). */
  removeOrphans?: boolean;
  /** `-v`: remove the project's named volumes. */
  removeVolumes?: boolean;
  /** `--rmi`: remove the images of the services: `local`, those built without an `image:` name; `all`, every one. Needs the compose file. */
  removeImages?: 'local' | 'all';
  /** Seconds to wait before killing on stop (`-t`); default: each container's stop_grace_period. */
  timeout?: number;
}

export interface PlanOptions {
  /** Services to bring up (with their dependencies); all when empty. */
  services?: string[];
  forceRecreate?: boolean;
  noRecreate?: boolean;
  removeOrphans?: boolean;
  noStart?: boolean;
  /** Seconds to wait before killing on stop (`-t`); default stop_grace_period or 10. */
  timeout?: number;
  /** API version to plan for when there is no observed state. */
  apiVersion?: string;
  /** `--pull`: overrides every service's pull_policy; `policy` (default) follows each service's. */
  pull?: PullOverride;
  /** `--build`: build every service that has a build section, even when its image is there. */
  build?: boolean;
  /** `--no-build`: never build; a missing image of a buildable service is pulled when it has a name. */
  noBuild?: boolean;
  /** `--scale SERVICE=N`: replicas of a service, over its `scale` and `deploy.replicas`. */
  scale?: Record<string, number>;
  /** `--no-deps`: only the services named, not what they depend on. */
  noDeps?: boolean;
  /** `--always-recreate-deps`: recreate the services the named ones depend on, changed or not. */
  alwaysRecreateDeps?: boolean;
}

export type PullOverride = 'always' | 'missing' | 'never' | 'policy';
