import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineConnection } from '../../src/engine/client.js';
import { lookupCredentials, registryAuthHeader, type CredentialLookup } from '../../src/engine/registry-auth.js';
import { familiarName, pullQuery, registryOf } from '../../src/planner/image-reference.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { followEngineStream, pushToRegistry, REGISTRY, registryForTests, removeLocalImage, writeDockerConfig, type DockerConfigKind } from '../helpers/registry.js';

const engine = await engineForTests();
const registry = engine !== undefined && (await registryForTests());
const REMOTE = `${REGISTRY}/tscompose/busybox:pushed`;

/** POST /images/create for `reference`, with X-Registry-Auth when the lookup found credentials. */
async function pull(connection: EngineConnection, reference: string, lookup: CredentialLookup): Promise<void> {
  const auth = lookup.credentials && { key: registryAuthHeader(lookup.credentials) };
  await followEngineStream(connection, await connection.docker.createImage(auth, pullQuery(reference)));
}

describe.skipIf(!engine || !registry)('pull from a registry that requires a login', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-registry-'));
  const lookupFor = (kind: DockerConfigKind) => lookupCredentials(registryOf(REMOTE), { env: writeDockerConfig(join(dir, kind), kind).env });

  beforeAll(async () => {
    await pushToRegistry(engine!, TEST_IMAGE, REMOTE);
    await removeLocalImage(engine!, REMOTE);
  });
  afterEach(() => removeLocalImage(engine!, REMOTE));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['auths', `auths in ${join(dir, 'auths', 'config.json')}`],
    ['helper', 'credential helper docker-credential-tscompose-test'],
  ] as const)('pulls with the credentials from %s', async (kind, source) => {
    const lookup = await lookupFor(kind);
    expect(lookup.source).toBe(source);
    await pull(engine!, REMOTE, lookup);
    expect((await engine!.docker.getImage(REMOTE).inspect()).RepoTags).toContain(familiarName(REMOTE));
  });

  it('is refused with a wrong password', async () => {
    const lookup = await lookupFor('wrong-password');
    await expect(pull(engine!, REMOTE, lookup)).rejects.toThrow(/unauthorized: authentication required/);
  });

  it('is refused without credentials', async () => {
    const lookup = await lookupCredentials(registryOf(REMOTE), { env: { DOCKER_CONFIG: join(dir, 'empty') } });
    expect(lookup).toEqual({ registry: REGISTRY, source: 'none' });
    await expect(pull(engine!, REMOTE, lookup)).rejects.toThrow(/no basic auth credentials/);
  });
});
