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
  [key: string]: unknown;
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
