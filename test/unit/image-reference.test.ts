import { describe, expect, it } from 'vitest';
import { TscomposeError } from '../../src/errors.js';
import { familiarName, parseImageReference, pullQuery, registryOf } from '../../src/planner/image-reference.js';

const SHA = 'sha256:' + 'ab'.repeat(32);

describe('image references', () => {
  it('puts a one-part name on Docker Hub under library/ with tag latest', () => {
    expect(parseImageReference('busybox')).toEqual({ registry: 'docker.io', repository: 'library/busybox', tag: 'latest' });
  });

  it('keeps a user repository on Docker Hub as written', () => {
    expect(parseImageReference('user/app:1.2')).toEqual({ registry: 'docker.io', repository: 'user/app', tag: '1.2' });
    expect(parseImageReference('user/team/app')).toEqual({ registry: 'docker.io', repository: 'user/team/app', tag: 'latest' });
  });

  it("reads Hub's other names as docker.io", () => {
    expect(parseImageReference('docker.io/busybox')).toEqual({ registry: 'docker.io', repository: 'library/busybox', tag: 'latest' });
    expect(parseImageReference('index.docker.io/library/busybox:1')).toEqual({ registry: 'docker.io', repository: 'library/busybox', tag: '1' });
    expect(parseImageReference('docker.io/user/app')).toEqual({ registry: 'docker.io', repository: 'user/app', tag: 'latest' });
  });

  it('takes a first part with "." or ":", or localhost, as the registry', () => {
    expect(parseImageReference('127.0.0.1:5000/tscompose/busybox:latest')).toEqual({ registry: '127.0.0.1:5000', repository: 'tscompose/busybox', tag: 'latest' });
    expect(parseImageReference('localhost/x')).toEqual({ registry: 'localhost', repository: 'x', tag: 'latest' });
    expect(parseImageReference('localhost:5000/x:2')).toEqual({ registry: 'localhost:5000', repository: 'x', tag: '2' });
    expect(parseImageReference('ghcr.io/a/b')).toMatchObject({ registry: 'ghcr.io', repository: 'a/b' });
    expect(parseImageReference('[::1]:5000/x')).toMatchObject({ registry: '[::1]:5000', repository: 'x' });
  });

  it('takes a first part without "." or ":" as a Hub user, and "localhost:5000" alone as a tagged name', () => {
    expect(parseImageReference('registry/app')).toMatchObject({ registry: 'docker.io', repository: 'registry/app' });
    expect(parseImageReference('localhost:5000')).toEqual({ registry: 'docker.io', repository: 'library/localhost', tag: '5000' });
  });

  it('gives no default tag when a digest is written, and keeps both when both are', () => {
    expect(parseImageReference(`ghcr.io/a/b@${SHA}`)).toEqual({ registry: 'ghcr.io', repository: 'a/b', digest: SHA });
    expect(parseImageReference(`busybox:1.36@${SHA}`)).toEqual({ registry: 'docker.io', repository: 'library/busybox', tag: '1.36', digest: SHA });
  });

  it('shows the name as docker images does', () => {
    expect(familiarName('busybox')).toBe('busybox:latest');
    expect(familiarName('docker.io/library/busybox:1')).toBe('busybox:1');
    expect(familiarName('index.docker.io/user/app')).toBe('user/app:latest');
    expect(familiarName('127.0.0.1:5000/x/y:1')).toBe('127.0.0.1:5000/x/y:1');
    expect(familiarName(`busybox@${SHA}`)).toBe(`busybox@${SHA}`);
    expect(familiarName(`busybox:1@${SHA}`)).toBe(`busybox:1@${SHA}`);
  });

  it('pulls by tag, or by digest when one is written', () => {
    expect(pullQuery('busybox')).toEqual({ fromImage: 'busybox', tag: 'latest' });
    expect(pullQuery('127.0.0.1:5000/tscompose/busybox:pushed')).toEqual({ fromImage: '127.0.0.1:5000/tscompose/busybox', tag: 'pushed' });
    expect(pullQuery(`docker.io/user/app:1@${SHA}`)).toEqual({ fromImage: 'user/app', tag: SHA });
  });

  it('names the registry credentials are looked up under', () => {
    expect(registryOf('busybox')).toBe('docker.io');
    expect(registryOf('index.docker.io/user/app')).toBe('docker.io');
    expect(registryOf('127.0.0.1:5000/tscompose/busybox')).toBe('127.0.0.1:5000');
  });

  it.each([
    ['', /it is empty/],
    ['Busybox', /repository name "library\/Busybox" must be lowercase/],
    ['user/App', /must be lowercase/],
    ['ghcr.io/A/b', /must be lowercase/],
    ['busybox:', /tag ""/],
    ['busybox:-x', /tag "-x"/],
    [`busybox:${'t'.repeat(129)}`, /tag/],
    ['busybox@sha256:abc', /digest "sha256:abc"/],
    [`busybox@md5:${'a'.repeat(32)}`, /algorithm "md5" is not supported/],
    [`busybox@sha256:${'AB'.repeat(32)}`, /64 lowercase hex/],
    [`busybox@${SHA}@${SHA}`, /more than one "@"/],
    ['a//b', /repository name/],
    ['/busybox', /repository name/],
    ['busy_-box', /repository name/],
    ['bad_host.io/x', /"bad_host.io" is not a registry/],
    [':latest', /names no repository/],
    ['ab'.repeat(32), /image ID/],
    [`x.io/${'a'.repeat(251)}`, /longer than 255/],
  ])('rejects %j', (reference, message) => {
    expect(() => parseImageReference(reference)).toThrow(TscomposeError);
    expect(() => parseImageReference(reference)).toThrow(message);
  });

  it('accepts the separators the grammar allows', () => {
    for (const reference of ['a.b/c_d/e__f/g-h/i---j:v1.0_rc-1', 'x.io/a0/b9']) expect(() => parseImageReference(reference)).not.toThrow();
  });
});
