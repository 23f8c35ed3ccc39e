/**
 * The normalized compose model: what the loader returns and the planner reads.
 * Network-related keys are typed in full; other service keys pass through as the file gave
 * them (validated by the schema), so `config` shows them and later stages can type them as
 * they come to use them. The JSON form follows `docker compose config --format json`.
 */

export type PortProtocol = 'tcp' | 'udp' | 'sctp';

export interface PortMapping {
  /** Container port. */
  target: number;
  /** Host port or host port range ("8000-8010"); absent for a random host port. */
  published?: string;
  /** Host address the port is bound on; absent for every interface. */
  host_ip?: string;
  protocol: PortProtocol;
  mode: 'ingress' | 'host';
  name?: string;
  app_protocol?: string;
}

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface ServiceDependency {
  condition: DependencyCondition;
  required: boolean;
  restart?: boolean;
}

/** A service's attachment to one network; `null` when nothing beyond the attachment is set. */
export interface ServiceNetworkConfig {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  link_local_ips?: string[];
  mac_address?: string;
  driver_opts?: Record<string, string>;
  priority?: number;
  gw_priority?: number;
  interface_name?: string;
}

export interface ServiceConfig {
  /** The service's key in `services:`. */
  name: string;
  image?: string;
  build?: Record<string, unknown>;
  /** In exec form: the loader splits a string as a shell would, as compose does. */
  command?: string[] | null;
  entrypoint?: string[] | null;
  container_name?: string;
  /** Variable → value; `null` means "take it from the environment of the client" (compose's `FOO` without `=`). */
  environment: Record<string, string | null>;
  labels: Record<string, string>;
  profiles?: string[];
  scale?: number;
  /** Network key → attachment; absent when `network_mode` is set. */
  networks?: Record<string, ServiceNetworkConfig | null>;
  network_mode?: string;
  ports: PortMapping[];
  expose: string[];
  depends_on: Record<string, ServiceDependency>;
  /** `service` or `service:alias`. */
  links: string[];
  external_links: string[];
  hostname?: string;
  domainname?: string;
  mac_address?: string;
  dns: string[];
  dns_search: string[];
  dns_opt: string[];
  /** `host=ip`, one entry per address. */
  extra_hosts: string[];
  tty?: boolean;
  stdin_open?: boolean;
  // Resources: byte sizes in bytes, CPUs as numbers, real-time scheduler times in µs (the loader reads `512m`, `"0.5"`, `950ms`).
  mem_limit?: number;
  memswap_limit?: number;
  mem_reservation?: number;
  mem_swappiness?: number;
  shm_size?: number;
  oom_kill_disable?: boolean;
  oom_score_adj?: number;
  cpus?: number;
  cpu_shares?: number;
  cpu_quota?: number;
  cpu_period?: number;
  cpu_rt_period?: number;
  cpu_rt_runtime?: number;
  cpu_count?: number;
  cpu_percent?: number;
  cpuset?: string;
  pids_limit?: number;
  /** One number for both limits, or each. */
  ulimits?: Record<string, number | { soft: number; hard: number }>;
  /** In long form (the loader reads `HOST[:CONTAINER[:PERMISSIONS]]`). */
  devices?: DeviceMapping[];
  device_cgroup_rules?: string[];
  /** `gpus: all` is `[{count: -1}]`. */
  gpus?: DeviceRequestConfig[];
  blkio_config?: BlkioConfig;
  cgroup_parent?: string;
  // Namespaces and security.
  ipc?: string;
  pid?: string | null;
  uts?: string;
  userns_mode?: string;
  cgroup?: 'host' | 'private';
  security_opt?: string[];
  group_add?: (string | number)[];
  /** In long form: the loader reads `[SOURCE:]TARGET[:OPTIONS]`, makes bind sources absolute, tmpfs sizes bytes. */
  volumes?: ServiceVolumeConfig[];
  /** `SERVICE[:ro|rw]` or `container:NAME[:ro|rw]`. */
  volumes_from?: string[];
  /** In long form; a secret's target defaults to /run/secrets/<source>. */
  secrets?: ServiceFileReference[];
  configs?: ServiceFileReference[];
  storage_opt?: Record<string, string>;
  runtime?: string;
  isolation?: string;
  logging?: { driver?: string; options?: Record<string, string> };
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** One entry of a service's `secrets:` or `configs:` in long form (compose-go's FileReferenceConfig). */
export interface ServiceFileReference {
  /** Key under the top-level `secrets:` or `configs:`. */
  source: string;
  /** Where in the container; relative: under /run/secrets for a secret, under / for a config. */
  target?: string;
  uid?: string;
  gid?: string;
  /** Permission bits (the loader reads an octal string). */
  mode?: number;
}

/** One entry of a service's `volumes:` in long form, as compose-go's ServiceVolumeConfig. */
export interface ServiceVolumeConfig {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  /** A host path (absolute), a top-level volume key, an image; absent for an anonymous volume and tmpfs. */
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  /** Present only when written (a short-form bind has `create_host_path: true`); absent, a missing host path is created. */
  bind?: { propagation?: string; create_host_path?: boolean; recursive?: 'enabled' | 'disabled' | 'writable' | 'readonly'; selinux?: 'z' | 'Z' };
  volume?: { labels?: Record<string, string>; nocopy?: boolean; subpath?: string };
  /** `size` in bytes (the loader reads `64m`), `mode` the permission bits. */
  tmpfs?: { size?: number; mode?: number };
  image?: { subpath?: string };
}

export interface DeviceMapping {
  source: string;
  target: string;
  /** Absent in a long-form entry that gives none: the engine's rwm. */
  permissions?: string;
}

/** A request for devices a driver provides (`gpus`, `deploy.resources.reservations.devices`); `count` -1 is all. */
export interface DeviceRequestConfig {
  capabilities?: string[];
  driver?: string;
  count?: number;
  device_ids?: string[];
  options?: Record<string, string>;
}

export interface BlkioConfig {
  weight?: number;
  weight_device?: { path: string; weight: number }[];
  device_read_bps?: { path: string; rate: number }[];
  device_read_iops?: { path: string; rate: number }[];
  device_write_bps?: { path: string; rate: number }[];
  device_write_iops?: { path: string; rate: number }[];
}

/** The part of `deploy` a plain container takes: resource limits and reservations (the rest is for a swarm). */
export interface DeployResources {
  limits?: { cpus?: number; memory?: number; pids?: number };
  reservations?: { cpus?: number; memory?: number; devices?: DeviceRequestConfig[] };
}

export interface IpamPoolConfig {
  subnet?: string;
  ip_range?: string;
  gateway?: string;
  aux_addresses?: Record<string, string>;
}

export interface NetworkConfig {
  /** The engine-side name: `<project>_<key>`, `name:`, or for external networks their own name. */
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  ipam?: { driver?: string; config?: IpamPoolConfig[]; options?: Record<string, string> };
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  enable_ipv4?: boolean;
  enable_ipv6?: boolean;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface ComposeProject {
  name: string;
  /** Absolute project directory. */
  working_dir: string;
  /** Absolute paths of the compose files, in merge order (`-` for stdin). */
  config_files: string[];
  services: Record<string, ServiceConfig>;
  networks: Record<string, NetworkConfig>;
  volumes: Record<string, Record<string, unknown>>;
  secrets: Record<string, Record<string, unknown>>;
  configs: Record<string, Record<string, unknown>>;
  /** Services left out because none of their profiles is active. */
  disabled_services: string[];
  /** Every profile a service of the files names, enabled or not, sorted. */
  profiles: string[];
  /** Top-level `x-` extensions. */
  extensions: Record<string, unknown>;
  /** The variables interpolation saw (process environment over env files). */
  environment: Record<string, string>;
}
