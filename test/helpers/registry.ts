import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineConnection } from '../../src/engine/client.js';
import { registryAuthHeader } from '../../src/engine/registry-auth.js';
import { pullQuery } from '../../src/planner/image-reference.js';

// The test registry scripts/provision-registry.sh runs, with the same account.
export const REGISTRY = '127.0.0.1:5000';
export const REGISTRY_USER = 'tscompose-ci';
export const REGISTRY_PASSWORD = 'reg-Secret-7b3f9e';
/** The credential helper writeDockerConfig(dir, 'helper') installs: docker-credential-tscompose-test. */
export const CREDENTIAL_HELPER = 'tscompose-test';

export type DockerConfigKind = 'auths' | 'helper' | 'wrong-password';

export interface DockerConfigSetup {
  /** The config.json written. */
  file: string;
  /** For lookupCredentials or a child process: DOCKER_CONFIG set to the directory; PATH with the helper's directory first for 'helper'. */
  env: NodeJS.ProcessEnv;
  /** The directory to put first on PATH ('helper' only). */
  pathPrefix?: string;
}

/**
 * Writes a docker client config.json into `dir` for the test registry: its credentials in
 * `auths`, in a credential helper (a sh script in `dir/bin`), or in `auths` with a wrong password.
 */
export function writeDockerConfig(dir: string, kind: DockerConfigKind): DockerConfigSetup {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'config.json');
  const env = { ...process.env, DOCKER_CONFIG: dir };
  const basic = (password: string): string => Buffer.from(`${REGISTRY_USER}:${password}`).toString('base64');
  if (kind !== 'helper') {
    const password = kind === 'auths' ? REGISTRY_PASSWORD : `wrong-${REGISTRY_PASSWORD}`;
    writeFileSync(file, JSON.stringify({ auths: { [REGISTRY]: { auth: basic(password) } } }, null, 2));
    return { file, env };
  }
  const pathPrefix = join(dir, 'bin');
  mkdirSync(pathPrefix, { recursive: true });
  const helper = join(pathPrefix, `docker-credential-${CREDENTIAL_HELPER}`);
  writeFileSync(
    helper,
    `#!/bin/sh
# Answers "get" for ${REGISTRY} like the docker-credential-helpers programs.
[ "$1" = get ] || exit 1
[ "$(cat)" = ${REGISTRY} ] || { echo "credentials not found in native keychain"; exit 1; }
echo '{"ServerURL":"${REGISTRY}","Username":"${REGISTRY_USER}","Secret":"${REGISTRY_PASSWORD}"}'
`,
  );
  chmodSync(helper, 0o755);
  writeFileSync(file, JSON.stringify({ credHelpers: { [REGISTRY]: CREDENTIAL_HELPER } }, null, 2));
  return { file, env: { ...env, PATH: `${pathPrefix}:${process.env.PATH ?? ''}` }, pathPrefix };
}

/**
 * Whether the test registry answers (401 on /v2/). With CI=true a missing registry is a
 * failure (the test command provisions one); elsewhere its tests are skipped with the reason printed.
 */
export async function registryForTests(): Promise<boolean> {
  const status = await fetch(`http://${REGISTRY}/v2/`, { signal: AbortSignal.timeout(3000) }).then(
    (response) => response.status,
    (error: Error) => error.message,
  );
  if (status === 401) return true;
  const reason = `no test registry at ${REGISTRY} (${typeof status === 'number' ? `/v2/ answered ${status}, not 401` : status}); run scripts/provision-registry.sh`;
  if (process.env.CI === 'true') throw new Error(reason);
  console.warn(`skipping registry tests: ${reason}`);
  return false;
}

/** Tags `localImage` as `remoteRef` and pushes it with the test account, failing on an error in the push stream. */
export async function pushToRegistry(connection: EngineConnection, localImage: string, remoteRef: string): Promise<void> {
  const { docker } = connection;
  const { fromImage, tag } = pullQuery(remoteRef);
  await docker.getImage(localImage).tag({ repo: fromImage, tag });
  const key = registryAuthHeader({ username: REGISTRY_USER, password: REGISTRY_PASSWORD, serveraddress: REGISTRY });
  await followEngineStream(connection, await docker.getImage(fromImage).push({ tag, authconfig: { key } }));
}

/** Removes a local image tag; one that is not there is fine. */
export async function removeLocalImage(connection: EngineConnection, ref: string): Promise<void> {
  try {
    await connection.docker.getImage(ref).remove();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
}

/** Reads a pull or push progress stream to its end; rejects with the first `error` entry. */
export function followEngineStream(connection: EngineConnection, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.docker.modem.followProgress(stream, (error, entries: { error?: string }[]) => {
      const failed = entries?.find((entry) => entry.error);
      if (error) reject(error);
      else if (failed) reject(new Error(failed.error));
      else resolve();
    });
  });
}
