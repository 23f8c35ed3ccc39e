import { createSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { findHeldHostPorts } from '../../src/engine/host-ports.js';

/** Listeners this file opens, closed after each test. */
const opened: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((close) => close()));
});

async function holdTcp(host: string, port = 0): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen({ host, port }, resolve));
  opened.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** A port that was free a moment ago. */
async function freeTcpPort(): Promise<number> {
  const port = await holdTcp('127.0.0.1');
  await opened.pop()!();
  return port;
}

describe('findHeldHostPorts', () => {
  it('finds a tcp port held on 127.0.0.1 and names this process as the holder', async () => {
    const port = await holdTcp('127.0.0.1');
    const held = await findHeldHostPorts([{ hostIp: '127.0.0.1', hostPort: port, protocol: 'tcp' }]);
    expect(held).toEqual([{ hostIp: '127.0.0.1', hostPort: port, protocol: 'tcp', process: { pid: process.pid, command: expect.stringContaining('node') } }]);
  });

  it('counts a port held on 127.0.0.1 as held for every interface too', async () => {
    const port = await holdTcp('127.0.0.1');
    const held = await findHeldHostPorts([
      { hostIp: '', hostPort: port, protocol: 'tcp' },
      { hostIp: '0.0.0.0', hostPort: port, protocol: 'tcp' },
    ]);
    expect(held.map(({ hostIp, process: holder }) => [hostIp, holder?.pid])).toEqual([['', process.pid]]);
  });

  it('finds a held udp port', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, resolve));
    opened.push(() => new Promise((resolve) => socket.close(() => resolve())));
    const port = socket.address().port;
    const held = await findHeldHostPorts([{ hostIp: '127.0.0.1', hostPort: port, protocol: 'udp' }]);
    expect(held).toEqual([{ hostIp: '127.0.0.1', hostPort: port, protocol: 'udp', process: { pid: process.pid, command: expect.any(String) } }]);
  });

  it('reports nothing for free ports, leaves them free, and skips sctp', async () => {
    const port = await freeTcpPort();
    const ports = [
      { hostIp: '127.0.0.1', hostPort: port, protocol: 'tcp' as const },
      { hostIp: '', hostPort: port, protocol: 'tcp' as const },
      { hostIp: '127.0.0.1', hostPort: port, protocol: 'udp' as const },
      { hostIp: '127.0.0.1', hostPort: port, protocol: 'sctp' as const },
    ];
    expect(await findHeldHostPorts(ports)).toEqual([]);
    expect(await holdTcp('127.0.0.1', port)).toBe(port);
  });

  it('tests many ports at once without tripping over its own test-binds', async () => {
    const held = await holdTcp('127.0.0.1');
    const free = await Promise.all(Array.from({ length: 40 }, () => holdTcp('127.0.0.1')));
    await Promise.all(opened.splice(1).map((close) => close()));
    const found = await findHeldHostPorts([held, ...free].flatMap((hostPort) => [
      { hostIp: '127.0.0.1', hostPort, protocol: 'tcp' as const },
      { hostIp: '0.0.0.0', hostPort, protocol: 'tcp' as const },
    ]));
    expect(found.map((port) => `${port.hostIp}:${port.hostPort}`)).toEqual([`127.0.0.1:${held}`, `0.0.0.0:${held}`]);
  });
});
