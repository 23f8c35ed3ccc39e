import { describe, expect, it } from 'vitest';
import type { ProjectContainer, PublishedPort } from '../../src/engine/project-containers.js';
import { endpointsOf } from '../../src/usecases/endpoints.js';
import { dotenvLine, formatEnv, githubLine } from '../../src/usecases/env-format.js';
import { linkVariables, variablePrefix } from '../../src/usecases/link-variables.js';

function container(service: string, ports: PublishedPort[], number = 1): ProjectContainer {
  return { id: `id-${service}-${number}`, name: `demo-${service}-${number}`, service, number, state: 'running', status: 'Up', image: 'busybox', command: 'sh', created: '2026-01-01T00:00:00.000Z', ports };
}

const port = (containerPort: number, hostPort: number, hostIp = '127.0.0.1', protocol = 'tcp'): PublishedPort => ({ containerPort, hostPort, hostIp, protocol });

describe('endpoints', () => {
  it('reaches a wildcard binding on 127.0.0.1 and keeps one of its IPv4 and IPv6 entries', () => {
    const [endpoint, ...rest] = endpointsOf([container('web', [port(80, 8080, '0.0.0.0'), port(80, 8080, '::')])]);
    expect(rest).toEqual([]);
    expect(endpoint).toEqual({ service: 'web', number: 1, container: 'demo-web-1', containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', host: '127.0.0.1', hostPort: 8080, address: '127.0.0.1:8080' });
  });

  it('keeps a specific address, brackets IPv6, and reaches an IPv6-only wildcard on ::1', () => {
    const endpoints = endpointsOf([container('a', [port(1, 101, '10.0.0.5')]), container('b', [port(2, 102, '::')]), container('c', [port(3, 103, '::1')])]);
    expect(endpoints.map((endpoint) => endpoint.address)).toEqual(['10.0.0.5:101', '[::1]:102', '[::1]:103']);
  });

  it("reaches a wildcard binding on a remote engine's host", () => {
    expect(endpointsOf([container('web', [port(80, 8080, '0.0.0.0')])], { engineHost: 'docker' })[0]!.address).toBe('docker:8080');
  });

  it('orders ports as Docker links do: by number, tcp first', () => {
    const endpoints = endpointsOf([container('dns', [port(53, 5301, '127.0.0.1', 'udp'), port(8053, 5302), port(53, 5300)])]);
    expect(endpoints.map((endpoint) => `${endpoint.containerPort}/${endpoint.protocol}`)).toEqual(['53/tcp', '53/udp', '8053/tcp']);
  });
});

describe('link variables', () => {
  it('names a port as Docker links do, with the first port as SERVICE_PORT', () => {
    const variables = linkVariables(endpointsOf([container('db', [port(5432, 8001), port(9187, 8002)])]));
    expect(variables).toEqual({
      DB_PORT: 'tcp://127.0.0.1:8001',
      DB_PORT_5432_TCP: 'tcp://127.0.0.1:8001',
      DB_PORT_5432_TCP_ADDR: '127.0.0.1',
      DB_PORT_5432_TCP_PORT: '8001',
      DB_PORT_5432_TCP_PROTO: 'tcp',
      DB_PORT_9187_TCP: 'tcp://127.0.0.1:8002',
      DB_PORT_9187_TCP_ADDR: '127.0.0.1',
      DB_PORT_9187_TCP_PORT: '8002',
      DB_PORT_9187_TCP_PROTO: 'tcp',
    });
  });

  it('turns hyphens and dots into underscores, and never starts a name with a digit', () => {
    expect(variablePrefix('my-api.v2')).toBe('MY_API_V2');
    expect(variablePrefix('3rd-party')).toBe('_3RD_PARTY');
  });

  it('gives replica 1 the plain names and replica N the SERVICE_N names', () => {
    const variables = linkVariables(endpointsOf([container('worker', [port(80, 9001)], 1), container('worker', [port(80, 9002)], 2)]));
    expect(variables.WORKER_PORT_80_TCP).toBe('tcp://127.0.0.1:9001');
    expect(variables.WORKER_2_PORT).toBe('tcp://127.0.0.1:9002');
    expect(variables.WORKER_2_PORT_80_TCP_PORT).toBe('9002');
  });

  it('refuses names two containers would share', () => {
    expect(() => linkVariables(endpointsOf([container('my-db', [port(5432, 8001)]), container('my_db', [port(5432, 8002)])]))).toThrow('containers demo-my-db-1 and demo-my_db-1 would both be named MY_DB_… in the variables');
    expect(() => linkVariables(endpointsOf([container('db', [port(80, 9001)], 2), container('db-2', [port(80, 9002)])]))).toThrow('would both be named DB_2_…');
  });

  it('writes IPv6 hosts in brackets in the URL only', () => {
    const variables = linkVariables(endpointsOf([container('v6', [port(80, 9000, '::1')])]));
    expect(variables.V6_PORT_80_TCP).toBe('tcp://[::1]:9000');
    expect(variables.V6_PORT_80_TCP_ADDR).toBe('::1');
  });
});

describe('env formats', () => {
  const env = { project: 'demo', endpoints: endpointsOf([container('db', [port(5432, 8001)])]), variables: {} as Record<string, string> };
  env.variables = linkVariables(env.endpoints);

  it('dotenv: NAME=value lines', () => {
    expect(formatEnv(env, 'dotenv')).toBe(
      'DB_PORT=tcp://127.0.0.1:8001\nDB_PORT_5432_TCP=tcp://127.0.0.1:8001\nDB_PORT_5432_TCP_ADDR=127.0.0.1\nDB_PORT_5432_TCP_PORT=8001\nDB_PORT_5432_TCP_PROTO=tcp\n',
    );
  });

  it('dotenv quotes only what a shell or a dotenv parser would misread', () => {
    expect(dotenvLine('A', 'tcp://127.0.0.1:80')).toBe('A=tcp://127.0.0.1:80');
    expect(dotenvLine('A', 'tcp://[::1]:80')).toBe("A='tcp://[::1]:80'");
    expect(dotenvLine('A', 'a b $HOME')).toBe("A='a b $HOME'");
    expect(dotenvLine('A', "it's\n$x")).toBe('A="it\'s\\n\\$x"');
    expect(dotenvLine('A', '')).toBe('A=');
  });

  it('github: NAME=value taken literally, the heredoc form for a value with a newline', () => {
    expect(githubLine('A', 'tcp://[::1]:80')).toBe('A=tcp://[::1]:80');
    expect(githubLine('A', 'one\ntwo')).toBe('A<<TSCOMPOSE_EOF\none\ntwo\nTSCOMPOSE_EOF');
    expect(githubLine('A', 'TSCOMPOSE_EOF\nx')).toBe('A<<TSCOMPOSE_EOF_\nTSCOMPOSE_EOF\nx\nTSCOMPOSE_EOF_');
    expect(formatEnv(env, 'github')).toBe(formatEnv(env, 'dotenv'));
  });

  it('json: the project, its endpoints and the variables', () => {
    const parsed = JSON.parse(formatEnv(env, 'json'));
    expect(Object.keys(parsed)).toEqual(['project', 'endpoints', 'variables']);
    expect(parsed.project).toBe('demo');
    expect(parsed.endpoints[0]).toEqual({ service: 'db', number: 1, container: 'demo-db-1', containerPort: 5432, protocol: 'tcp', hostIp: '127.0.0.1', host: '127.0.0.1', hostPort: 8001, address: '127.0.0.1:8001' });
    expect(parsed.variables.DB_PORT_5432_TCP_PORT).toBe('8001');
  });

  it('prints nothing for a project that publishes no port', () => {
    expect(formatEnv({ project: 'demo', endpoints: [], variables: {} }, 'dotenv')).toBe('');
  });
});
