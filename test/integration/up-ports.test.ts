import { createSocket } from 'node:dgram';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { engineForTests } from '../helpers/engine.js';
import { httpBody } from '../helpers/exec.js';
import { fixtureProject } from '../helpers/project.js';

const engine = await engineForTests();

/** Binds a UDP port on 127.0.0.1 and reports the error code, or undefined when it was free. */
function tryBindUdp(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.close();
      resolve(error.code ?? error.message);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(undefined)));
  });
}

describe.skipIf(!engine)('up: published ports, reached from the host', () => {
  const project = fixtureProject(engine, 'ports', 'tscompose-it-ports');

  beforeAll(async () => {
    await project.up();
  });

  it('"127.0.0.1:18711:80": bound to loopback only', async () => {
    expect((await httpBody('http://127.0.0.1:18711/')).trim()).toBe('loopback');
    const { NetworkSettings } = await project.inspect('loopback');
    expect(NetworkSettings.Ports['80/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: '18711' }]);
  });

  it('"18712:80": bound to every interface, so also answers on 127.0.0.1', async () => {
    expect((await httpBody('http://127.0.0.1:18712/')).trim()).toBe('everywhere');
    const { NetworkSettings } = await project.inspect('everywhere');
    expect(NetworkSettings.Ports['80/tcp']).toContainEqual({ HostIp: '0.0.0.0', HostPort: '18712' });
  });

  it('long syntax with host_ip, published as a string', async () => {
    expect((await httpBody('http://127.0.0.1:18713/')).trim()).toBe('long');
    const { NetworkSettings } = await project.inspect('long');
    expect(NetworkSettings.Ports['80/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: '18713' }]);
  });

  it('"127.0.0.1:18714-18715:80-81": a range, each host port to its container port', async () => {
    expect((await httpBody('http://127.0.0.1:18714/')).trim()).toBe('range-80');
    expect((await httpBody('http://127.0.0.1:18715/')).trim()).toBe('range-81');
  });

  describe('"127.0.0.1::80": a host port the engine chooses', () => {
    let hostPort: string;

    beforeAll(async () => {
      const result = await runCli(['-p', project.name, 'port', 'web', '80'], project.dir);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const match = /^127\.0\.0\.1:(\d+)$/.exec(result.stdout.trim());
      expect(match, `tscompose port web 80 printed ${JSON.stringify(result.stdout)}`).not.toBeNull();
      hostPort = match![1]!;
    });

    it('tscompose port web 80 prints the port the engine chose', async () => {
      const { NetworkSettings } = await project.inspect('web');
      expect(NetworkSettings.Ports['80/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: hostPort }]);
    });

    it('answers there', async () => {
      expect((await httpBody(`http://127.0.0.1:${hostPort}/`)).trim()).toBe('random');
    });
  });

  it('"127.0.0.1:18716:5353/udp": the UDP host port is published and held', async () => {
    // busybox in the test image has no UDP server (its nc has no -u), so nothing answers in the
    // container; what is checked is the engine's binding and that the host port is taken.
    const { NetworkSettings } = await project.inspect('datagram');
    expect(NetworkSettings.Ports['5353/udp']).toEqual([{ HostIp: '127.0.0.1', HostPort: '18716' }]);
    expect(await tryBindUdp(18716)).toBe('EADDRINUSE');
    const port = await runCli(['-p', project.name, 'port', 'datagram', '5353/udp'], project.dir);
    expect(port.stdout.trim()).toBe('127.0.0.1:18716');
  });

  it('a second up changes nothing and keeps every port', async () => {
    const again = await project.up();
    expect(again.plan.operations).toEqual([]);
    expect((await httpBody('http://127.0.0.1:18711/')).trim()).toBe('loopback');
  });
});
