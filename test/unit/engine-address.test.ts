import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineAddress, EngineUnavailableError } from '../../src/engine/address.js';
import { explainAddressPoolExhaustion, AddressPoolsExhaustedError } from '../../src/engine/address-pools.js';
import { apiVersionRefusal, CLIENT_API_VERSION, EngineApiVersionError, negotiateApiVersion } from '../../src/engine/api-version.js';
import { isLocalEngine } from '../../src/engine/host-ports.js';
import { TscomposeError } from '../../src/errors.js';
import type { ObservedNetwork } from '../../src/planner/types.js';

describe('engineAddress', () => {
  const certDir = mkdtempSync(join(tmpdir(), 'tscompose-certs-'));
  for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certDir, file), `dummy ${file}`);
  afterAll(() => rmSync(certDir, { recursive: true, force: true }));

  it('uses the default socket without DOCKER_HOST', () => {
    expect(engineAddress({})).toEqual({ display: 'unix:///var/run/docker.sock', options: { socketPath: '/var/run/docker.sock' } });
  });

  it('takes a unix socket path literally', () => {
    expect(engineAddress({ DOCKER_HOST: 'unix:///run/my docker%.sock' }).options).toEqual({ socketPath: '/run/my docker%.sock' });
  });

  it('reads tcp:// as plain http on 2375 by default', () => {
    expect(engineAddress({ DOCKER_HOST: 'tcp://127.0.0.1' })).toEqual({ display: 'tcp://127.0.0.1', options: { host: '127.0.0.1', port: 2375, protocol: 'http' } });
    expect(engineAddress({ DOCKER_HOST: 'tcp://[::1]:2380' }).options).toEqual({ host: '::1', port: 2380, protocol: 'http' });
  });

  it('reads tcp:// with DOCKER_TLS_VERIFY as https with the certificates of DOCKER_CERT_PATH', () => {
    const address = engineAddress({ DOCKER_HOST: 'tcp://docker.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certDir });
    expect(address.options).toEqual({
      host: 'docker.example',
      port: 2376,
      protocol: 'https',
      ca: Buffer.from('dummy ca.pem'),
      cert: Buffer.from('dummy cert.pem'),
      key: Buffer.from('dummy key.pem'),
    });
  });

  it('names the certificate directory when the certificates are missing', () => {
    const missing = join(certDir, 'nowhere');
    expect(() => engineAddress({ DOCKER_HOST: 'tcp://docker.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: missing })).toThrow(
      expect.objectContaining({ name: 'EngineUnavailableError', message: expect.stringContaining(missing), hint: expect.stringContaining('DOCKER_CERT_PATH') }),
    );
  });

  it('reads ssh:// with user and port for dockerode ssh, through the ssh agent', () => {
    expect(engineAddress({ DOCKER_HOST: 'ssh://deploy@build.example:2222', SSH_AUTH_SOCK: '/tmp/agent.sock' }).options).toEqual({
      protocol: 'ssh',
      host: 'build.example',
      port: 2222,
      username: 'deploy',
      sshOptions: { agent: '/tmp/agent.sock' },
    });
    expect(engineAddress({ DOCKER_HOST: 'ssh://build.example', USER: 'alice' }).options).toMatchObject({ port: 22, username: 'alice' });
  });

  it('rejects a password in ssh://, as docker does', () => {
    expect(() => engineAddress({ DOCKER_HOST: 'ssh://deploy:secret@build.example' })).toThrow(EngineUnavailableError);
  });

  it('rejects a scheme it does not know, and text that is no address', () => {
    expect(() => engineAddress({ DOCKER_HOST: 'npipe:////./pipe/docker_engine' })).toThrow(/unsupported scheme "npipe:"/);
    expect(() => engineAddress({ DOCKER_HOST: 'not an address' })).toThrow(expect.objectContaining({ name: 'EngineUnavailableError', hint: expect.stringContaining('unix://') }));
  });

  it('counts unix sockets and loopback tcp as local, other hosts and ssh not', () => {
    const local = (host: string | undefined) => isLocalEngine(engineAddress({ DOCKER_HOST: host }));
    expect([undefined, 'unix:///tmp/d.sock', 'tcp://127.0.0.1:2375', 'tcp://localhost:2375', 'tcp://[::1]:2375'].map(local)).toEqual([true, true, true, true, true]);
    expect(['tcp://10.0.0.5:2375', 'ssh://me@127.0.0.1'].map(local)).toEqual([false, false]);
  });
});

describe('negotiateApiVersion', () => {
  it('takes the lower of the engine version and ours', () => {
    expect(negotiateApiVersion({ ApiVersion: '1.41', MinAPIVersion: '1.12' })).toBe('1.41');
    expect(negotiateApiVersion({ ApiVersion: '1.45' })).toBe('1.45');
    expect(negotiateApiVersion({ ApiVersion: '1.51', MinAPIVersion: '1.24' })).toBe(CLIENT_API_VERSION);
    expect(CLIENT_API_VERSION).toBe('1.47');
  });

  it('compares versions as numbers, not text', () => {
    expect(negotiateApiVersion({ ApiVersion: '1.100', MinAPIVersion: '1.24' })).toBe('1.47');
  });

  it('rejects engines older than 1.41, and engines that no longer speak 1.47', () => {
    expect(() => negotiateApiVersion({ ApiVersion: '1.40' })).toThrow(expect.objectContaining({ name: 'EngineApiVersionError', message: expect.stringMatching(/1\.40.*1\.41/) }));
    expect(() => negotiateApiVersion({ ApiVersion: '1.60', MinAPIVersion: '1.50' })).toThrow(expect.objectContaining({ message: expect.stringMatching(/1\.50.*1\.47/), hint: 'upgrade tscompose' }));
  });

  it('uses a pinned version as it is: the engine judges it, as with the docker CLI', () => {
    expect(negotiateApiVersion({ ApiVersion: '1.45', MinAPIVersion: '1.24' }, '1.43')).toBe('1.43');
    // Older than tscompose's own range, but served by this engine (Docker 20.10 serves 1.12 to 1.41).
    expect(negotiateApiVersion({ ApiVersion: '1.41', MinAPIVersion: '1.12' }, '1.12')).toBe('1.12');
    expect(negotiateApiVersion({ ApiVersion: '1.41', MinAPIVersion: '1.12' }, '1.40')).toBe('1.40');
  });

  it('rejects a pin that is not a version at all, before the engine is asked', () => {
    for (const pinned of ['v1.41', '1', '1.41.0', 'latest']) expect(() => negotiateApiVersion({ ApiVersion: '1.41' }, pinned)).toThrow(/not an Engine API version/);
    expect(negotiateApiVersion({ ApiVersion: '1.41' }, '9.99')).toBe('9.99');
  });

  it("relays the engine's HTTP 400 for a version it does not serve in its own words", () => {
    const tooNew = Object.assign(new Error('(HTTP code 400) unexpected - client version 9.99 is too new. Maximum supported API version is 1.41 '), { statusCode: 400 });
    const refusal = apiVersionRefusal(tooNew);
    expect(refusal).toBeInstanceOf(EngineApiVersionError);
    expect(refusal?.message).toBe('the Docker engine refuses DOCKER_API_VERSION=9.99: client version 9.99 is too new. Maximum supported API version is 1.41');
    expect(refusal?.hint).toBe('unset DOCKER_API_VERSION to negotiate, or set it to 1.41 or older');
    const tooOld = Object.assign(new Error('client version 1.11 is too old. Minimum supported API version is 1.12, please upgrade your client'), { statusCode: 400 });
    expect(apiVersionRefusal(tooOld)?.hint).toBe('unset DOCKER_API_VERSION to negotiate, or set it to 1.12 or newer');
    expect(apiVersionRefusal(Object.assign(new Error('no such container'), { statusCode: 404 }))).toBeUndefined();
  });
});

describe('explainAddressPoolExhaustion', () => {
  const network = (name: string, subnets: string[], project?: string, driver = 'bridge'): ObservedNetwork => ({
    id: name,
    name,
    labels: project ? { 'com.docker.compose.project': project } : {},
    driver,
    subnets,
    containers: [],
  });
  const networks = [
    network('shop_default', ['192.168.16.0/20'], 'shop'),
    network('bridge', ['172.17.0.0/16']),
    network('host', []),
    network('blog_front', ['fd00::/64', '172.18.0.0/16'], 'blog'),
    network('ingress', ['10.0.0.0/24'], undefined, 'overlay'),
  ];

  it('explains the engine message and lists the networks holding subnets, largest first, with their project', () => {
    const engineError = Object.assign(new Error('(HTTP code 404) no such network - could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network '), { statusCode: 404 });
    const explained = explainAddressPoolExhaustion(engineError, networks);
    expect(explained).toBeInstanceOf(AddressPoolsExhaustedError);
    expect(explained).toBeInstanceOf(TscomposeError);
    expect(explained!.message.split('\n')).toEqual([
      'the engine has no free subnet for a new network: it hands out subnets from its default address pools, and every bridge network without a subnet of its own takes one.',
      'Networks holding subnets, largest first:',
      '  - 172.18.0.0/16  blog_front (project blog)',
      '  - 172.17.0.0/16  bridge (no project)',
      '  - 192.168.16.0/20  shop_default (project shop)',
    ]);
    expect(explained!.hint).toMatch(/docker network prune.*tscompose down.*default-address-pools/);
    expect(explained!.cause).toBe(engineError);
  });

  it('knows the older wording too', () => {
    expect(explainAddressPoolExhaustion(new Error('all predefined address pools have been fully subnetted'), [])?.message).toContain('No network on the engine holds one');
  });

  it('leaves other errors alone', () => {
    expect(explainAddressPoolExhaustion(new Error('network with name x already exists'), networks)).toBeUndefined();
    expect(explainAddressPoolExhaustion(undefined, networks)).toBeUndefined();
  });
});
