import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineAddress } from '../../src/engine/address.js';

/** A Docker client config directory holding contexts as `docker context create` stores them. */
function clientConfig(contexts: Record<string, { host: string; tls?: boolean; skipTlsVerify?: boolean }>, currentContext?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-contexts-'));
  if (currentContext) writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext }));
  for (const [name, { host, tls, skipTlsVerify }] of Object.entries(contexts)) {
    const id = createHash('sha256').update(name).digest('hex');
    mkdirSync(join(dir, 'contexts', 'meta', id), { recursive: true });
    writeFileSync(join(dir, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: Boolean(skipTlsVerify) } } }));
    if (tls) {
      mkdirSync(join(dir, 'contexts', 'tls', id, 'docker'), { recursive: true });
      for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, 'contexts', 'tls', id, 'docker', file), `${name} ${file}`);
    }
  }
  return dir;
}

describe('docker context endpoints', () => {
  const dirs: string[] = [];
  const config = (...args: Parameters<typeof clientConfig>) => {
    const dir = clientConfig(...args);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('DOCKER_CONTEXT names the context whose endpoint is used', () => {
    const dir = config({ other: { host: 'unix:///run/other.sock' } });
    expect(engineAddress({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'other' })).toEqual({ display: 'unix:///run/other.sock (docker context "other")', options: { socketPath: '/run/other.sock' } });
  });

  it('without DOCKER_CONTEXT, currentContext of config.json; "default" is DOCKER_HOST or the default socket', () => {
    const dir = config({ remote: { host: 'tcp://10.1.2.3:2375' } }, 'remote');
    expect(engineAddress({ DOCKER_CONFIG: dir }).options).toEqual({ host: '10.1.2.3', port: 2375, protocol: 'http' });
    expect(engineAddress({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'default' }).options).toEqual({ socketPath: '/var/run/docker.sock' });
  });

  it('DOCKER_HOST wins over any context, as with the docker CLI', () => {
    const dir = config({ other: { host: 'unix:///run/other.sock' } }, 'other');
    expect(engineAddress({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'other', DOCKER_HOST: 'unix:///run/mine.sock' }).options).toEqual({ socketPath: '/run/mine.sock' });
  });

  it("a context's TLS material turns TLS on; SkipTLSVerify stops checking the server", () => {
    const dir = config({ secure: { host: 'tcp://docker.example:2376', tls: true, skipTlsVerify: true } });
    expect(engineAddress({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'secure' }).options).toEqual({
      host: 'docker.example',
      port: 2376,
      protocol: 'https',
      ca: Buffer.from('secure ca.pem'),
      cert: Buffer.from('secure cert.pem'),
      key: Buffer.from('secure key.pem'),
      rejectUnauthorized: false,
    });
  });

  it('a context that does not exist is an error naming it and where the name came from', () => {
    const dir = config({});
    expect(() => engineAddress({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'nosuch' })).toThrow(expect.objectContaining({ message: 'docker context "nosuch" does not exist', hint: expect.stringContaining('DOCKER_CONTEXT') }));
  });
});
