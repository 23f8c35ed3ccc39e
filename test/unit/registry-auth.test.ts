import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TscomposeError } from '../../src/errors.js';
import { lookupCredentials, registryAuthHeader } from '../../src/engine/registry-auth.js';
import { redactSecrets, rememberSecret } from '../../src/secrets.js';

const root = mkdtempSync(join(tmpdir(), 'tscompose-registry-auth-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const bin = join(root, 'bin');
mkdirSync(bin);
const NOT_FOUND = 'echo "credentials not found in native keychain"; exit 1';
/** Helpers as the docker-credential-helpers programs behave: the address on stdin, JSON on stdout. */
const helpers: Record<string, string> = {
  store: `case "$addr" in
  https://index.docker.io/v1/) echo '{"ServerURL":"'"$addr"'","Username":"hub-user","Secret":"hub-Secret-4711"}' ;;
  tok.example) echo '{"ServerURL":"tok.example","Username":"<token>","Secret":"token-Secret-0815"}' ;;
  *) ${NOT_FOUND} ;;
esac`,
  per: `[ "$addr" = per.example:5000 ] || { ${NOT_FOUND}; }
echo '{"ServerURL":"per.example:5000","Username":"per-user","Secret":"per-Secret-1234"}'`,
  empty: NOT_FOUND,
  broken: 'echo "oops, leaking broken-Secret-999"; echo "broken-Secret-999" >&2; exit 3',
  garbage: 'echo "not json garbage-Secret-555"',
};
for (const [name, body] of Object.entries(helpers)) {
  const file = join(bin, `docker-credential-${name}`);
  writeFileSync(file, `#!/bin/sh\naddr=$(cat)\n${body}\n`);
  chmodSync(file, 0o755);
}

let configs = 0;
/** A fresh DOCKER_CONFIG holding this config.json (or none), with the helpers first on PATH. */
function environment(config?: object | string): { env: NodeJS.ProcessEnv; file: string } {
  const dir = join(root, `config-${++configs}`);
  mkdirSync(dir);
  const file = join(dir, 'config.json');
  if (config !== undefined) writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return { env: { PATH: `${bin}:${process.env.PATH}`, DOCKER_CONFIG: dir }, file };
}

const basic = (user: string, password: string): string => Buffer.from(`${user}:${password}`).toString('base64');

describe('registry credentials from auths', () => {
  it('decodes a plain auth entry', async () => {
    const { env, file } = environment({ auths: { '127.0.0.1:5000': { auth: basic('ci', 'plain-Secret-1') } } });
    expect(await lookupCredentials('127.0.0.1:5000', { env })).toEqual({
      registry: '127.0.0.1:5000',
      source: `auths in ${file}`,
      credentials: { username: 'ci', password: 'plain-Secret-1', serveraddress: '127.0.0.1:5000' },
    });
  });

  it('matches keys written with a scheme and a path on host:port', async () => {
    const { env } = environment({ auths: { 'http://reg.example:5000/v2/': { auth: basic('u', 'scheme-Secret-2') }, 'reg.example': { auth: basic('other', 'x-y-z-w') } } });
    expect((await lookupCredentials('reg.example:5000', { env })).credentials).toMatchObject({ username: 'u', password: 'scheme-Secret-2', serveraddress: 'reg.example:5000' });
    expect((await lookupCredentials('https://reg.example:5000/', { env })).credentials?.username).toBe('u');
  });

  it("finds Docker Hub's entry under every name of the Hub", async () => {
    const { env } = environment({ auths: { 'https://index.docker.io/v1/': { auth: basic('hub', 'hub-Secret-3') } } });
    for (const name of ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'https://index.docker.io/v1/', 'https://index.docker.io/v1', 'index.docker.io/', 'https://registry-1.docker.io']) {
      const lookup = await lookupCredentials(name, { env });
      expect(lookup, name).toMatchObject({ registry: 'docker.io', credentials: { username: 'hub', password: 'hub-Secret-3', serveraddress: 'docker.io' } });
    }
    const { env: short } = environment({ auths: { 'docker.io': { auth: basic('hub', 'hub-Secret-3') } } });
    expect((await lookupCredentials('https://index.docker.io/v1/', { env: short })).credentials?.username).toBe('hub');
  });

  it('reads username and password fields, and identity tokens', async () => {
    const { env } = environment({ auths: { 'a.example': { username: 'ua', password: 'fields-Secret-4' }, 'b.example': { auth: basic('ub', 'unused'), identitytoken: 'id-Token-5' } } });
    expect((await lookupCredentials('a.example', { env })).credentials).toEqual({ username: 'ua', password: 'fields-Secret-4', serveraddress: 'a.example' });
    expect((await lookupCredentials('b.example', { env })).credentials).toEqual({ identitytoken: 'id-Token-5', serveraddress: 'b.example' });
  });

  it('finds none for a registry without an entry, an empty entry, or without a config file', async () => {
    const { env } = environment({ auths: { 'a.example': { auth: basic('u', 'p-p-p-p') }, 'empty.example': {} } });
    expect(await lookupCredentials('other.example', { env })).toEqual({ registry: 'other.example', source: 'none' });
    expect(await lookupCredentials('empty.example', { env })).toEqual({ registry: 'empty.example', source: 'none' });
    expect(await lookupCredentials('a.example', { env: environment().env })).toEqual({ registry: 'a.example', source: 'none' });
  });

  it('reads ~/.docker/config.json when DOCKER_CONFIG is not set', async () => {
    const home = join(root, 'home');
    mkdirSync(join(home, '.docker'), { recursive: true });
    writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { 'h.example': { auth: basic('home', 'home-Secret-6') } } }));
    expect(await lookupCredentials('h.example', { env: { HOME: home } })).toMatchObject({ source: `auths in ${join(home, '.docker', 'config.json')}` });
  });

  it('names the file that is not JSON, with where it stops, and quotes none of it', async () => {
    const { env, file } = environment('{\n  "auths": {"x": {"auth": "cGFyc2UtU2VjcmV0LTc="\n}');
    const error = await lookupCredentials('x', { env }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TscomposeError);
    expect((error as TscomposeError).message).toBe(`the docker client config ${file} is not valid JSON`);
    expect((error as TscomposeError).location).toMatchObject({ file, line: 3 });
    const { env: tokenEnv } = environment('{"auths": x-Secret-8}');
    await expect(lookupCredentials('x', { env: tokenEnv })).rejects.toThrow(/is not valid JSON$/);
  });

  it('refuses an auth value that is not user:password', async () => {
    const { env, file } = environment({ auths: { 'bad.example': { auth: Buffer.from('no-colon').toString('base64') } } });
    await expect(lookupCredentials('bad.example', { env })).rejects.toThrow(`the auths entry for bad.example in ${file} has an "auth" that is not base64 of user:password`);
  });
});

describe('registry credentials from helpers', () => {
  it("asks credsStore, with Docker Hub's key on stdin", async () => {
    const { env } = environment({ credsStore: 'store', auths: { 'https://index.docker.io/v1/': {} } });
    expect(await lookupCredentials('docker.io', { env })).toEqual({
      registry: 'docker.io',
      source: 'credential helper docker-credential-store',
      credentials: { username: 'hub-user', password: 'hub-Secret-4711', serveraddress: 'docker.io' },
    });
  });

  it('takes Username <token> as an identity token', async () => {
    const { env } = environment({ credsStore: 'store' });
    expect((await lookupCredentials('tok.example', { env })).credentials).toEqual({ identitytoken: 'token-Secret-0815', serveraddress: 'tok.example' });
  });

  it('prefers credHelpers for its registry, and falls back to auths when the helpers have nothing', async () => {
    const { env, file } = environment({
      credsStore: 'store',
      credHelpers: { 'per.example:5000': 'per', 'none.example': 'empty' },
      auths: { 'per.example:5000': { auth: basic('file', 'file-Secret-9') }, 'none.example': { auth: basic('file', 'file-Secret-9') } },
    });
    expect(await lookupCredentials('per.example:5000', { env })).toMatchObject({ source: 'credential helper docker-credential-per', credentials: { username: 'per-user' } });
    expect(await lookupCredentials('none.example', { env })).toMatchObject({ source: `auths in ${file}`, credentials: { username: 'file' } });
    expect(await lookupCredentials('nowhere.example', { env })).toEqual({ registry: 'nowhere.example', source: 'none' });
  });

  it('names a failing helper and shows nothing it printed', async () => {
    const { env } = environment({ credHelpers: { 'b.example': 'broken', 'g.example': 'garbage' } });
    const broken = (await lookupCredentials('b.example', { env }).catch((caught: unknown) => caught)) as TscomposeError;
    expect(broken).toBeInstanceOf(TscomposeError);
    expect(broken.message).toBe('credential helper docker-credential-broken failed (exit 3) (asked for b.example)');
    expect(`${broken.message} ${broken.hint}`).not.toContain('Secret');
    const garbage = (await lookupCredentials('g.example', { env }).catch((caught: unknown) => caught)) as TscomposeError;
    expect(garbage.message).toBe('credential helper docker-credential-garbage printed something other than JSON (asked for g.example)');
    expect(`${garbage.message} ${garbage.hint}`).not.toContain('Secret');
  });

  it('says so when the helper is not on PATH', async () => {
    const { env } = environment({ credsStore: 'absent' });
    await expect(lookupCredentials('docker.io', { env })).rejects.toThrow('credential helper docker-credential-absent is not on PATH');
  });
});

describe('X-Registry-Auth', () => {
  const decode = (header: string): unknown => JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));

  it('is padded base64url of username, password and the host without scheme', () => {
    const header = registryAuthHeader({ username: 'u', password: '??>>??>>', serveraddress: 'https://reg.example:5000/v2/' });
    expect(header).toMatch(/^[A-Za-z0-9_-]+=*$/);
    expect(header.length % 4).toBe(0);
    expect(decode(header)).toEqual({ username: 'u', password: '??>>??>>', serveraddress: 'reg.example:5000' });
  });

  it('carries only the identity token when there is one', () => {
    expect(decode(registryAuthHeader({ identitytoken: 'tok-tok', serveraddress: 'docker.io' }))).toEqual({ identitytoken: 'tok-tok', serveraddress: 'docker.io' });
  });
});

describe('secrets', () => {
  it('redacts every password, auth value and header a lookup read', async () => {
    const auth = basic('ci', 'redact-Secret-10');
    const { env } = environment({ auths: { 'r.example': { auth }, 'other.example': { password: 'other-Secret-11', username: 'o' } } });
    const { credentials } = await lookupCredentials('r.example', { env });
    const header = registryAuthHeader(credentials!);
    expect(redactSecrets(`pw=redact-Secret-10 auth=${auth} header=${header} other=other-Secret-11`)).toBe('pw=******** auth=******** header=******** other=********');
  });

  it('ignores values shorter than 4 characters and replaces the longest first', () => {
    rememberSecret('abc');
    rememberSecret('long-Secret');
    rememberSecret('long-Secret-plus');
    expect(redactSecrets('abc long-Secret-plus long-Secret')).toBe('abc ******** ********');
  });
});
