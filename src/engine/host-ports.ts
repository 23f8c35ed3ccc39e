import type { EngineAddress } from './address.js';

/** A host port a container would publish. */
export interface HostPort {
  /** "" or "0.0.0.0" for every IPv4 interface, "::" for every interface. */
  hostIp: string;
  hostPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
}

/** The process holding a port. */
export interface HoldingProcess {
  pid: number;
  /** Its command line, or its name when the command line cannot be read. */
  command: string;
}

/** A host port that something already holds, and which process, when /proc tells. */
export interface HeldPort extends HostPort {
  process?: HoldingProcess;
}

/** How many test-binds run at once. */
const BIND_CONCURRENCY = 16;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/** Whether the engine publishes ports on this machine, so that test-binding here tells anything. */
export function isLocalEngine(address: EngineAddress): boolean {
  const { socketPath, host, protocol } = address.options;
  if (typeof socketPath === 'string') return true;
  return protocol !== 'ssh' && typeof host === 'string' && LOOPBACK_HOSTS.has(host);
}

/**
 * Test-binds each tcp and udp port on its host address, and returns those already in use, with the
 * process holding each where /proc shows it. sctp is not tested: Node cannot bind it.
 */
export async function findHeldHostPorts(ports: HostPort[]): Promise<HeldPort[]> {
  const unique = new Map<string, HostPort>();
  for (const port of ports) {
    const key = `${port.protocol}/${bindAddress(port.hostIp)}/${port.hostPort}`;
    if (port.protocol !== 'sctp' && port.hostPort > 0 && port.hostPort <= 65535 && !unique.has(key)) unique.set(key, port);
  }
  // One port's addresses are tried one after another: 0.0.0.0 and 127.0.0.1 on the same port would collide with each other.
  const byPort = new Map<string, HostPort[]>();
  for (const port of unique.values()) {
    const key = `${port.protocol}/${port.hostPort}`;
    byPort.set(key, [...(byPort.get(key) ?? []), port]);
  }
  const inUse = new Set<HostPort>();
  // Only ports the kernel has some socket on can be held: the others need no test-bind (a plan of
  // 10,000 published ports made 10,000 servers, half a second and 36 MB of garbage at its peak).
  const withSockets = await portsWithSockets();
  const mayBeHeld = (port: HostPort) => withSockets[port.protocol as 'tcp' | 'udp']?.has(port.hostPort) ?? true;
  const candidates = [...byPort.values()].filter((samePort) => mayBeHeld(samePort[0]!));
  await forEachBounded(candidates, BIND_CONCURRENCY, async (samePort) => {
    for (const port of samePort) if (await isHeld(port)) inUse.add(port);
  });
  const held = [...unique.values()].filter((port) => inUse.has(port));
  if (held.length === 0) return [];
  const holders = await findHolders(held);
  return held.map((port) => {
    const holder = holders.get(port);
    return holder ? { ...port, process: holder } : { ...port };
  });
}

function bindAddress(hostIp: string): string {
  return hostIp === '' ? '0.0.0.0' : hostIp;
}

/** True only for EADDRINUSE: an address this machine lacks, or a port it may not bind, is not "held". */
function isHeld(port: HostPort): Promise<boolean> {
  const host = bindAddress(port.hostIp);
  return new Promise((resolve) => {
    if (port.protocol === 'tcp') {
      const server = process.getBuiltinModule('node:net').createServer();
      server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
      server.listen({ host, port: port.hostPort, exclusive: true }, () => server.close(() => resolve(false)));
    } else {
      const socket = process.getBuiltinModule('node:dgram').createSocket(process.getBuiltinModule('node:net').isIPv6(host) ? 'udp6' : 'udp4');
      socket.once('error', (error: NodeJS.ErrnoException) => {
        socket.close();
        resolve(error.code === 'EADDRINUSE');
      });
      socket.bind({ address: host, port: port.hostPort, exclusive: true }, () => socket.close(() => resolve(false)));
    }
  });
}

async function forEachBounded<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A socket from /proc/net/{tcp,udp}{,6}. */
interface KernelSocket {
  address: string;
  port: number;
  inode: string;
}

/** The kernel's TCP_LISTEN state: a tcp socket holds a port for binding only while it listens; a udp socket as long as it is bound. */
const TCP_LISTEN = '0A';

/**
 * The ports each protocol has any socket on, in any state, from /proc/net/{tcp,udp}{,6}; a
 * protocol whose IPv4 table cannot be read is left out (its ports are all test-bound).
 */
async function portsWithSockets(): Promise<Partial<Record<'tcp' | 'udp', Set<number>>>> {
  const { readFile } = process.getBuiltinModule('node:fs/promises');
  const found: Partial<Record<'tcp' | 'udp', Set<number>>> = {};
  for (const protocol of ['tcp', 'udp'] as const) {
    const tables = await Promise.all([protocol, `${protocol}6`].map((table) => readFile(`/proc/net/${table}`, 'utf8').catch(() => undefined)));
    if (tables[0] === undefined) continue;
    const ports = new Set<number>();
    for (const text of tables) {
      for (const line of (text ?? '').split('\n').slice(1)) {
        const local = line.trim().split(/\s+/)[1];
        const port = local?.slice(local.lastIndexOf(':') + 1);
        if (port) ports.add(parseInt(port, 16));
      }
    }
    found[protocol] = ports;
  }
  return found;
}

/** The process holding each held port, found through the socket inode; none when /proc cannot be read. */
async function findHolders(held: HostPort[]): Promise<Map<HostPort, HoldingProcess>> {
  const inodeOf = new Map<HostPort, string>();
  for (const protocol of ['tcp', 'udp'] as const) {
    const sockets = await kernelSockets(protocol);
    for (const port of held.filter((candidate) => candidate.protocol === protocol)) {
      const onPort = sockets.filter((socket) => socket.port === port.hostPort);
      const wanted = canonicalIp(bindAddress(port.hostIp));
      // Several sockets may share the port on different addresses: prefer the one that collides with ours.
      const colliding = onPort.find((socket) => socket.address === wanted || isWildcard(socket.address) || isWildcard(wanted)) ?? onPort[0];
      if (colliding) inodeOf.set(port, colliding.inode);
    }
  }
  const pidOfInode = await socketOwners(new Set(inodeOf.values()));
  const holders = new Map<HostPort, HoldingProcess>();
  for (const [port, inode] of inodeOf) {
    const pid = pidOfInode.get(inode);
    if (pid !== undefined) holders.set(port, { pid, command: await commandOf(pid) });
  }
  return holders;
}

async function kernelSockets(protocol: 'tcp' | 'udp'): Promise<KernelSocket[]> {
  const sockets: KernelSocket[] = [];
  for (const table of [protocol, `${protocol}6`]) {
    const text = await process.getBuiltinModule('node:fs/promises').readFile(`/proc/net/${table}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const [address, port] = fields[1]?.split(':') ?? [];
      const inode = fields[9];
      if (!address || !port || (protocol === 'tcp' && fields[3] !== TCP_LISTEN) || !inode || inode === '0') continue;
      sockets.push({ address: decodeKernelAddress(address), port: parseInt(port, 16), inode });
    }
  }
  return sockets;
}

/** /proc/net prints addresses as 32-bit words in host (little-endian) order; IPv4-mapped IPv6 comes out as IPv4. */
function decodeKernelAddress(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((word) => [...Buffer.from(word, 'hex').reverse()]);
  if (bytes.length === 4) return bytes.join('.');
  const isV4Mapped = bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isV4Mapped) return bytes.slice(12).join('.');
  const groups = Array.from({ length: 8 }, (_, index) => ((bytes[2 * index]! << 8) | bytes[2 * index + 1]!).toString(16));
  return canonicalIp(groups.join(':'));
}

/** IPv6 in its one compressed form, so that "0:0:0:0:0:0:0:1" and "::1" compare equal. */
function canonicalIp(ip: string): string {
  return process.getBuiltinModule('node:net').isIPv6(ip) ? new URL(`http://[${ip}]`).hostname.slice(1, -1) : ip;
}

function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

/** Which pid has each socket inode open, from the `socket:[inode]` links in /proc/<pid>/fd; unreadable entries are passed over. */
async function socketOwners(inodes: Set<string>): Promise<Map<string, number>> {
  const { readdir, readlink } = process.getBuiltinModule('node:fs/promises');
  const owners = new Map<string, number>();
  const pids = (await readdir('/proc').catch(() => [])).filter((entry) => /^\d+$/.test(entry));
  await Promise.all(
    pids.map(async (pid) => {
      const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
      const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
      for (const link of links) {
        const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
        if (!inode || !inodes.has(inode)) continue;
        // Forked workers share their parent's socket: the lowest pid is usually that parent.
        const known = owners.get(inode);
        if (known === undefined || Number(pid) < known) owners.set(inode, Number(pid));
      }
    }),
  );
  return owners;
}

async function commandOf(pid: number): Promise<string> {
  const { readFile } = process.getBuiltinModule('node:fs/promises');
  const commandLine = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').filter(Boolean).join(' ');
  return commandLine || (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim() || '?';
}
