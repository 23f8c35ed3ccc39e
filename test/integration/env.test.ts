import { describe, expect, it } from 'vitest';
import { env } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { engineForTests } from '../helpers/engine.js';
import { httpBody } from '../helpers/exec.js';
import { fixtureProject } from '../helpers/project.js';

const engine = await engineForTests();

/** `NAME=value` lines as an object. */
function parseLines(text: string): Record<string, string> {
  return Object.fromEntries(text.trimEnd().split('\n').map((line) => line.split(/=(.*)/s, 2) as [string, string]));
}

describe.skipIf(!engine)('env against the engine', () => {
  const project = fixtureProject(engine, 'env', 'tscompose-it-env');
  /** The host port the engine chose for a container port, from inspect. */
  const hostPort = async (service: string, port: string, number = 1) => Number((await project.inspect(service, number)).NetworkSettings.Ports[port]!.find((binding) => !binding.HostIp.includes(':'))!.HostPort);

  it('fails naming the project while nothing runs', async () => {
    await project.down();
    const { code, stderr } = await runCli(['env'], project.dir);
    expect(code).toBe(1);
    expect(stderr).toContain('no container of project "tscompose-it-env" is running');
  });

  it('up --print-env prints the variables once every service is ready', async () => {
    const { code, stdout } = await runCli(['--progress', 'quiet', 'up', '--print-env', '--format', 'github'], project.dir);
    expect(code).toBe(0);
    expect(parseLines(stdout)).toMatchObject({ WEB_PORT: 'tcp://127.0.0.1:18731', WEB_PORT_80_TCP_PORT: '18731' });
  });

  it('prints fixed ports as published, and random ones as the engine chose them', async () => {
    const { code, stdout } = await runCli(['env'], project.dir);
    expect(code).toBe(0);
    const variables = parseLines(stdout);
    expect(variables).toMatchObject({
      WEB_PORT: 'tcp://127.0.0.1:18731',
      WEB_PORT_80_TCP: 'tcp://127.0.0.1:18731',
      WEB_PORT_80_TCP_ADDR: '127.0.0.1',
      WEB_PORT_80_TCP_PORT: '18731',
      WEB_PORT_80_TCP_PROTO: 'tcp',
    });
    const api = await hostPort('my-api.v2', '80/tcp');
    const metrics = await hostPort('my-api.v2', '9090/tcp');
    expect(variables.MY_API_V2_PORT).toBe(`tcp://127.0.0.1:${api}`);
    expect(variables.MY_API_V2_PORT_80_TCP_PORT).toBe(String(api));
    expect(variables.MY_API_V2_PORT_9090_TCP).toBe(`tcp://127.0.0.1:${metrics}`);
    // The values are where the services answer.
    expect(await httpBody(`http://127.0.0.1:${variables.WEB_PORT_80_TCP_PORT}/`)).toBe('web\n');
    expect(await httpBody(`http://${variables.MY_API_V2_PORT_80_TCP_ADDR}:${variables.MY_API_V2_PORT_80_TCP_PORT}/`)).toBe('api\n');
  });

  it('reaches a wildcard binding on 127.0.0.1, lists tcp before udp, names replicas and leaves out services without ports', async () => {
    const variables = parseLines((await runCli(['env'], project.dir)).stdout);
    expect(variables.EVERYWHERE_PORT_80_TCP).toBe('tcp://127.0.0.1:18732');
    expect(await httpBody(`http://127.0.0.1:${variables.EVERYWHERE_PORT_80_TCP_PORT}/`)).toBe('everywhere\n');
    expect(variables.DNS_PORT).toBe(`tcp://127.0.0.1:${await hostPort('dns', '53/tcp')}`);
    expect(variables.DNS_PORT_53_UDP).toBe(`udp://127.0.0.1:${await hostPort('dns', '53/udp')}`);
    expect(variables.WORKER_PORT_80_TCP_PORT).toBe(String(await hostPort('worker', '80/tcp', 1)));
    expect(variables.WORKER_2_PORT_80_TCP_PORT).toBe(String(await hostPort('worker', '80/tcp', 2)));
    expect(await httpBody(`http://127.0.0.1:${variables.WORKER_2_PORT_80_TCP_PORT}/`)).toBe('worker\n');
    expect(Object.keys(variables).some((name) => name.startsWith('QUIET'))).toBe(false);
  });

  it('says so when a service asked for publishes no port, instead of printing nothing without a word', async () => {
    const { code, stdout, stderr } = await runCli(['env', 'quiet'], project.dir);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain('warning: service "quiet" publishes no port: it has no variables');
  });

  it('prints JSON with the endpoints, and only the services asked for', async () => {
    const { code, stdout } = await runCli(['env', '--format', 'json', 'web'], project.dir);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      project: 'tscompose-it-env',
      endpoints: [{ service: 'web', number: 1, container: project.container('web'), containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', host: '127.0.0.1', hostPort: 18731, address: '127.0.0.1:18731' }],
      variables: { WEB_PORT: 'tcp://127.0.0.1:18731', WEB_PORT_80_TCP: 'tcp://127.0.0.1:18731', WEB_PORT_80_TCP_ADDR: '127.0.0.1', WEB_PORT_80_TCP_PORT: '18731', WEB_PORT_80_TCP_PROTO: 'tcp' },
    });
  });

  it('works from the project name alone, and as a library call', async () => {
    const { stdout } = await runCli(['-p', project.name, 'env', 'web'], '/');
    expect(stdout).toContain('WEB_PORT=tcp://127.0.0.1:18731\n');
    const result = await env({ workingDir: project.dir, environment: {}, connection: engine, services: ['my-api.v2'] });
    expect(result.endpoints.map((endpoint) => endpoint.containerPort)).toEqual([80, 9090]);
  });

  it('rejects an unknown format and an unknown service', async () => {
    expect((await runCli(['env', '--format', 'yaml'], project.dir)).code).toBe(2);
    const { code, stderr } = await runCli(['env', 'wbe'], project.dir);
    expect(code).toBe(1);
    expect(stderr).toContain('no such service: wbe');
  });
});
