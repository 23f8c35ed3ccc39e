import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { NOTHING, fixtureProject } from '../helpers/project.js';
import { pushToRegistry, registryForTests, REGISTRY_PASSWORD, REGISTRY_USER, removeLocalImage, writeDockerConfig, type DockerConfigKind } from '../helpers/registry.js';

const engine = await engineForTests();
const registry = engine ? await registryForTests() : false;

const IMAGE = '127.0.0.1:5000/tscompose/busybox:it-pull';
const GHOST = '127.0.0.1:5000/tscompose/ghost:it-ghost';
const NEVER = '127.0.0.1:5000/tscompose/busybox:it-never';

/** Every way a credential could leak: the password, the base64 `auth`, and the header. */
const SECRETS = [REGISTRY_PASSWORD, Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64')];

describe.skipIf(!engine || !registry)('pull with registry authentication', () => {
  const project = fixtureProject(engine, 'pull', 'tscompose-it-pull');
  const configDir = mkdtempSync(join(tmpdir(), 'tscompose-docker-config-'));
  const saved = { DOCKER_CONFIG: process.env.DOCKER_CONFIG, PATH: process.env.PATH };

  /** Points the process (the CLI runs in-process) at a docker config of this kind. */
  const useConfig = (kind: DockerConfigKind | 'none') => {
    const dir = join(configDir, kind);
    if (kind === 'none') {
      process.env.DOCKER_CONFIG = dir;
      return;
    }
    const setup = writeDockerConfig(dir, kind);
    process.env.DOCKER_CONFIG = setup.env.DOCKER_CONFIG;
    process.env.PATH = setup.env.PATH;
  };
  const cli = (...args: string[]) => runCli(['-p', project.name, '--verbose', ...args], project.dir);
  const expectNoSecret = (...texts: string[]) => {
    for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret);
  };

  beforeAll(async () => {
    await pushToRegistry(engine!, TEST_IMAGE, IMAGE);
    await removeLocalImage(engine!, IMAGE);
  });
  afterEach(async () => {
    await project.down({ timeout: 0 });
    await removeLocalImage(engine!, IMAGE);
    process.env.DOCKER_CONFIG = saved.DOCKER_CONFIG;
    process.env.PATH = saved.PATH;
  });
  afterAll(() => rmSync(configDir, { recursive: true, force: true }));

  it('pulls a missing image with credentials from auths, then starts the container, and never prints them', async () => {
    useConfig('auths');
    const { code, stdout, stderr } = await cli('--progress', 'json', 'up', '-d', 'app');
    expectNoSecret(stdout, stderr);
    expect(code).toBe(0);
    const events = stderr.trim().split('\n').map((line) => JSON.parse(line) as { resource: string; status: string; text: string });
    expect(events).toContainEqual(expect.objectContaining({ resource: `image:${IMAGE}`, status: 'done', text: 'Pulled' }));
    expect((await project.inspect('app')).State.Running).toBe(true);
  });

  it('pulls through a credential helper on PATH', async () => {
    useConfig('helper');
    const { code, stderr } = await cli('--progress', 'plain', 'up', '-d', 'app');
    expectNoSecret(stderr);
    expect(code).toBe(0);
    expect(stderr).toContain(`Image ${IMAGE}  Pulled`);
  });

  it('says the registry refused the credentials it found, and creates nothing', async () => {
    useConfig('wrong-password');
    const { code, stdout, stderr } = await cli('--progress', 'plain', 'up', '-d', 'app');
    expectNoSecret(stdout, stderr);
    expect(stderr).not.toContain(`wrong-${REGISTRY_PASSWORD}`);
    expect(code).toBe(1);
    expect(stderr).toContain(`pulling ${IMAGE} from 127.0.0.1:5000 was refused`);
    expect(stderr).toMatch(/credentials from auths in .*config\.json were used, and the registry refused them/);
    expect(await project.resources()).toEqual(NOTHING);
  });

  it('says no credentials were found when the config has none', async () => {
    useConfig('none');
    const { code, stderr } = await cli('--progress', 'quiet', 'up', '-d', 'app');
    expect(code).toBe(1);
    expect(stderr).toContain('no credentials for 127.0.0.1:5000 were found in the Docker client config');
    expect(await project.resources()).toEqual(NOTHING);
  });

  it('says an image does not exist', async () => {
    useConfig('auths');
    const { code, stderr } = await cli('--progress', 'quiet', 'up', '-d', 'ghost');
    expect(code).toBe(1);
    expect(stderr).toContain(`image ${GHOST} does not exist in 127.0.0.1:5000`);
    expect(await project.resources()).toEqual(NOTHING);
  });

  it('says a registry that does not answer cannot be reached', async () => {
    useConfig('auths');
    const { code, stderr } = await cli('--progress', 'quiet', 'up', '-d', 'unreachable');
    expect(code).toBe(1);
    expect(stderr).toContain('registry 127.0.0.1:5999 cannot be reached to pull 127.0.0.1:5999/tscompose/busybox:nowhere');
    expect(await project.resources()).toEqual(NOTHING);
  });

  it('stops before anything is created when pull_policy never meets a missing image', async () => {
    await removeLocalImage(engine!, NEVER);
    const { code, stderr } = await cli('up', '-d', 'local');
    expect(code).toBe(1);
    expect(stderr).toContain(`image ${NEVER} of service "local" is not on the engine, and pull_policy: never forbids pulling it`);
    expect(await project.resources()).toEqual(NOTHING);
  });

  it('build pulls a private base image with the credentials of its registry', async () => {
    useConfig('none');
    const anonymous = await cli('--progress', 'quiet', 'build', 'based');
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(/build failed at step 2\/\d+ \(FROM \$\{BASE\}:it-pull AS base\): .*no basic auth credentials/);
    useConfig('auths');
    try {
      const { code, stdout, stderr } = await cli('--progress', 'plain', 'build', 'based');
      expectNoSecret(stdout, stderr);
      expect(stderr).toContain('Image tscompose-it-pull-based  Built');
      expect(code).toBe(0);
    } finally {
      await removeLocalImage(engine!, 'tscompose-it-pull-based');
    }
  });

  it('pull pulls the named services, and --ignore-pull-failures reports the rest as warnings', async () => {
    useConfig('auths');
    const failing = await cli('--progress', 'plain', 'pull', 'app', 'ghost');
    expect(failing.code).toBe(1);
    const tolerant = await cli('--progress', 'plain', 'pull', '--ignore-pull-failures', 'app', 'ghost');
    expectNoSecret(failing.stderr, tolerant.stderr);
    expect(tolerant.code).toBe(0);
    expect(tolerant.stderr).toContain(`Image ${IMAGE}  Pulled`);
    expect(tolerant.stderr).toContain(`warning: ${GHOST} was not pulled (ignored): image ${GHOST} does not exist`);
    expect((await engine!.docker.getImage(IMAGE).inspect()).RepoTags).toContain(IMAGE);
  });
});
