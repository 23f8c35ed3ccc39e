/**
 * The transitions of the convergence suite: pairs of small compose files A → B, each one kind of
 * change a user makes between two `up`s. Every transition gets its own number `n`, from which its
 * host ports and subnets are made, so that they can run at once without sharing any.
 */

export const IMAGE = 'tscompose/busybox:latest';
/** A second name of the same image, tagged by the suite: changing to it changes the service's `image:`. */
export const OTHER_TAG = 'tscompose/busybox:i11b-convergence';

type Doc = Record<string, unknown>;

export interface Transition {
  name: string;
  a: Doc;
  b: Doc;
  /** An external network B uses: created before A is brought up, removed after the project. */
  externalNetwork?: string;
}

/** A service that stops at once on SIGTERM (busybox sh as PID 1 ignores it otherwise). */
export function box(extra: Doc = {}): Doc {
  return { image: IMAGE, command: ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"], stop_grace_period: '1s', ...extra };
}

const port = (n: number, offset = 0) => 27_100 + n * 4 + offset;
const subnet = (n: number, second = 0) => `10.${213 + second}.${n}.0/24`;
const address = (n: number, host: number, second = 0) => `10.${213 + second}.${n}.${host}`;

/** Each entry makes one transition from its number. */
const GENERATORS: ((n: number) => Transition)[] = [
  () => ({ name: 'nothing changes', a: { services: { app: box() } }, b: { services: { app: box() } } }),
  () => ({ name: 'add a service', a: { services: { app: box() } }, b: { services: { app: box(), extra: box() } } }),
  () => ({ name: 'remove a service', a: { services: { app: box(), extra: box() } }, b: { services: { app: box() } } }),
  () => ({ name: 'add a service on a new network', a: { services: { app: box() } }, b: { services: { app: box(), extra: box({ networks: ['side'] }) }, networks: { side: {} } } }),
  () => ({
    name: 'add an existing network to a running service',
    a: { services: { app: box({ networks: ['front'] }), other: box({ networks: ['back'] }) }, networks: { front: {}, back: {} } },
    b: { services: { app: box({ networks: ['front', 'back'] }), other: box({ networks: ['back'] }) }, networks: { front: {}, back: {} } },
  }),
  () => ({
    name: 'add a network new in the same file to a running service',
    a: { services: { app: box({ networks: ['front'] }) }, networks: { front: {} } },
    b: { services: { app: box({ networks: { front: null, extra: { aliases: ['app-extra'] } } }) }, networks: { front: {}, extra: {} } },
  }),
  () => ({
    name: 'remove a network from a running service',
    a: { services: { app: box({ networks: ['front', 'back'] }) }, networks: { front: {}, back: {} } },
    b: { services: { app: box({ networks: ['front'] }) }, networks: { front: {}, back: {} } },
  }),
  () => ({
    name: 'move a running service to another network',
    a: { services: { app: box({ networks: ['front'] }) }, networks: { front: {}, back: {} } },
    b: { services: { app: box({ networks: ['back'] }) }, networks: { front: {}, back: {} } },
  }),
  () => ({
    name: 'change an alias',
    a: { services: { app: box({ networks: { front: { aliases: ['one'] } } }) }, networks: { front: {} } },
    b: { services: { app: box({ networks: { front: { aliases: ['two'] } } }) }, networks: { front: {} } },
  }),
  () => ({
    name: 'add an alias',
    a: { services: { app: box({ networks: ['front'] }) }, networks: { front: {} } },
    b: { services: { app: box({ networks: { front: { aliases: ['also'] } } }) }, networks: { front: {} } },
  }),
  () => ({ name: 'change an env value', a: { services: { app: box({ environment: { LOG_LEVEL: 'info' } }), other: box() } }, b: { services: { app: box({ environment: { LOG_LEVEL: 'debug' } }), other: box() } } }),
  () => ({ name: 'add an env variable', a: { services: { app: box() } }, b: { services: { app: box({ environment: { EXTRA: '1' } }) } } }),
  () => ({ name: 'remove an env variable', a: { services: { app: box({ environment: { EXTRA: '1', KEEP: '2' } }) } }, b: { services: { app: box({ environment: { KEEP: '2' } }) } } }),
  () => ({ name: 'change a secret env value', a: { services: { app: box({ environment: { DB_PASSWORD: 'first-secret' } }) } }, b: { services: { app: box({ environment: { DB_PASSWORD: 'second-secret' } }) } } }),
  (n) => ({ name: 'change a published port', a: { services: { app: box({ ports: [`127.0.0.1:${port(n)}:80`] }) } }, b: { services: { app: box({ ports: [`127.0.0.1:${port(n, 1)}:80`] }) } } }),
  (n) => ({ name: 'add a published port', a: { services: { app: box({ ports: [`127.0.0.1:${port(n)}:80`] }) } }, b: { services: { app: box({ ports: [`127.0.0.1:${port(n)}:80`, `127.0.0.1:${port(n, 1)}:81`] }) } } }),
  (n) => ({ name: 'a random host port becomes a fixed one', a: { services: { app: box({ ports: ['127.0.0.1::80'] }) } }, b: { services: { app: box({ ports: [`127.0.0.1:${port(n)}:80`] }) } } }),
  () => ({ name: 'a kept random host port stays', a: { services: { app: box({ ports: ['127.0.0.1::80'] }), other: box() } }, b: { services: { app: box({ ports: ['127.0.0.1::80'] }), other: box({ environment: { X: '1' } }) } } }),
  () => ({ name: 'change a container label', a: { services: { app: box({ labels: { tier: 'one' } }) } }, b: { services: { app: box({ labels: { tier: 'two' } }) } } }),
  () => ({ name: 'change the image tag', a: { services: { app: box() } }, b: { services: { app: box({ image: OTHER_TAG }) } } }),
  () => ({ name: 'change the command', a: { services: { app: box() } }, b: { services: { app: box({ command: ['sh', '-c', "trap 'exit 0' TERM; sleep 3599 & wait"] }) } } }),
  () => ({ name: 'change hostname and extra_hosts', a: { services: { app: box() } }, b: { services: { app: box({ hostname: 'renamed', extra_hosts: ['somewhere:10.0.0.1'] }) } } }),
  () => ({
    name: "change a network's labels with its containers running",
    a: { services: { app: box({ networks: { front: { aliases: ['web'] } } }), other: box({ networks: ['front'] }) }, networks: { front: { labels: { tier: 'one' } } } },
    b: { services: { app: box({ networks: { front: { aliases: ['web'] } } }), other: box({ networks: ['front'] }) }, networks: { front: { labels: { tier: 'two' } } } },
  }),
  (n) => ({
    name: "change a network's subnet and the static address in it",
    a: { services: { app: box({ networks: { front: { ipv4_address: address(n, 10) } } }) }, networks: { front: { ipam: { config: [{ subnet: subnet(n) }] } } } },
    b: { services: { app: box({ networks: { front: { ipv4_address: address(n, 10, 1) } } }) }, networks: { front: { ipam: { config: [{ subnet: subnet(n, 1) }] } } } },
  }),
  () => ({
    name: "change a network's driver_opts",
    a: { services: { app: box({ networks: ['front', 'back'] }) }, networks: { front: {}, back: {} } },
    b: { services: { app: box({ networks: ['front', 'back'] }) }, networks: { front: {}, back: { driver_opts: { 'com.docker.network.driver.mtu': '1400' } } } },
  }),
  () => ({
    name: 'make a network internal',
    a: { services: { app: box({ networks: ['front'] }) }, networks: { front: {} } },
    b: { services: { app: box({ networks: ['front'] }) }, networks: { front: { internal: true } } },
  }),
  () => ({
    name: 'make an internal network external-facing',
    a: { services: { app: box({ networks: ['back'] }) }, networks: { back: { internal: true } } },
    b: { services: { app: box({ networks: ['back'] }) }, networks: { back: { internal: false } } },
  }),
  () => ({
    name: 'change a network and the env of one of its services at once',
    a: { services: { app: box({ networks: ['front'] }), other: box({ networks: ['front'] }) }, networks: { front: {} } },
    b: { services: { app: box({ networks: ['front'], environment: { NEW: '1' } }), other: box({ networks: ['front'] }) }, networks: { front: { labels: { changed: 'yes' } } } },
  }),
  () => ({ name: 'scale up', a: { services: { app: box() } }, b: { services: { app: box({ scale: 3 }) } } }),
  () => ({ name: 'scale down', a: { services: { app: box({ scale: 3 }) } }, b: { services: { app: box({ scale: 1 }) } } }),
  () => ({ name: 'scale up and change the env', a: { services: { app: box({ scale: 2 }) } }, b: { services: { app: box({ scale: 3, environment: { V: '2' } }) } } }),
  () => ({ name: 'switch network_mode to none', a: { services: { app: box() } }, b: { services: { app: box({ network_mode: 'none' }) } } }),
  () => ({ name: 'switch network_mode from none to networks', a: { services: { app: box({ network_mode: 'none' }) } }, b: { services: { app: box({ networks: ['front'] }) }, networks: { front: {} } } }),
  () => ({ name: 'switch network_mode from host to the default network', a: { services: { app: box({ network_mode: 'host' }) } }, b: { services: { app: box() } } }),
  () => ({ name: "add a sidecar on a service's network stack", a: { services: { app: box() } }, b: { services: { app: box(), sidecar: box({ network_mode: 'service:app' }) } } }),
  () => ({ name: 'drop the shared network stack of a sidecar', a: { services: { app: box(), sidecar: box({ network_mode: 'service:app' }) } }, b: { services: { app: box(), sidecar: box() } } }),
  () => ({
    name: 'rename a network key',
    a: { services: { app: box({ networks: ['front'] }) }, networks: { front: {} } },
    b: { services: { app: box({ networks: ['edge'] }) }, networks: { edge: {} } },
  }),
  (n) => ({
    name: 'rename a network key, keeping its name',
    a: { services: { app: box({ networks: ['front'] }) }, networks: { front: { name: `i11b-conv-${n}-net` } } },
    b: { services: { app: box({ networks: ['edge'] }) }, networks: { edge: { name: `i11b-conv-${n}-net` } } },
  }),
  () => ({ name: 'add depends_on', a: { services: { app: box(), db: box() } }, b: { services: { app: box({ depends_on: ['db'] }), db: box() } } }),
  () => ({ name: 'remove depends_on', a: { services: { app: box({ depends_on: ['db'] }), db: box() } }, b: { services: { app: box(), db: box() } } }),
  () => ({
    name: 'add a dependency that waits for health',
    a: { services: { app: box() } },
    b: { services: { app: box({ depends_on: { db: { condition: 'service_healthy' } } }), db: box({ healthcheck: { test: ['CMD', 'true'], interval: '1s', start_interval: '1s', start_period: '5s' } }) } },
  }),
  (n) => ({
    name: 'an external network appears',
    externalNetwork: `i11b-conv-${n}-ext`,
    a: { services: { app: box() } },
    b: { services: { app: box({ networks: ['default', 'shared'] }) }, networks: { shared: { external: true, name: `i11b-conv-${n}-ext` } } },
  }),
  (n) => ({
    name: 'a project network is replaced by an external one',
    externalNetwork: `i11b-conv-${n}-ext`,
    a: { services: { app: box({ networks: ['shared'] }) }, networks: { shared: {} } },
    b: { services: { app: box({ networks: ['shared'] }) }, networks: { shared: { external: true, name: `i11b-conv-${n}-ext` } } },
  }),
  (n) => ({
    name: 'give a running service a static address',
    a: { services: { app: box({ networks: ['front'] }) }, networks: { front: { ipam: { config: [{ subnet: subnet(n) }] } } } },
    b: { services: { app: box({ networks: { front: { ipv4_address: address(n, 20) } } }) }, networks: { front: { ipam: { config: [{ subnet: subnet(n) }] } } } },
  }),
  (n) => ({
    name: 'change a static address',
    a: { services: { app: box({ networks: { front: { ipv4_address: address(n, 20) } } }) }, networks: { front: { ipam: { config: [{ subnet: subnet(n) }] } } } },
    b: { services: { app: box({ networks: { front: { ipv4_address: address(n, 21) } } }) }, networks: { front: { ipam: { config: [{ subnet: subnet(n) }] } } } },
  }),
  (n) => ({ name: 'change container_name', a: { services: { app: box({ container_name: `i11b-conv-${n}-first` }) } }, b: { services: { app: box({ container_name: `i11b-conv-${n}-second` }) } } }),
  () => ({
    name: 'a multi-network service on a recreated network keeps its other networks',
    a: { services: { app: box({ networks: { front: { priority: 10 }, back: { aliases: ['b'] } } }) }, networks: { front: {}, back: {} } },
    b: { services: { app: box({ networks: { front: { priority: 10 }, back: { aliases: ['b'] } } }) }, networks: { front: { labels: { v: '2' } }, back: {} } },
  }),
];

export function transitions(): Transition[] {
  return GENERATORS.map((generate, index) => generate(index + 1));
}
