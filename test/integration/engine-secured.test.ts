import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineAddress, exposedEngineWarning } from '../../src/engine/address.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { ROOT, tempProject } from '../helpers/fixtures.js';
import { startOwnDockerd, type OwnEngine } from '../helpers/own-dockerd.js';
import { sshdAvailable, startOwnSshd, type OwnSshd } from '../helpers/own-sshd.js';
import { forceRemoveProject, NOTHING, projectResources } from '../helpers/project.js';

const engine = await engineForTests();

/** Runs the built tscompose in `cwd` with exactly `env`. */
function tscompose(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'bin', 'tscompose'), args, { cwd, env: { ...env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!engine)('an engine reached over tcp:// with --tlsverify', () => {
  let own: OwnEngine;
  const project = 'i16-tls';
  const dir = tempProject({ 'compose.yaml': `services:\n  web:\n    image: ${TEST_IMAGE}\n    command: ["sleep", "600"]\n    stop_grace_period: 1s\n` }, project);

  beforeAll(async () => {
    own = await startOwnDockerd(engine!);
  });
  afterAll(async () => {
    await own?.stop();
  });

  it('up, ps and down work over TLS with the certificates of DOCKER_CERT_PATH', async () => {
    const env = own.tlsEnvironment(own.certificates.good);
    const upped = await tscompose(['-p', project, '--progress', 'plain', 'up', '-d'], dir, env);
    expect(upped.stderr).toContain('Started');
    expect(upped.code).toBe(0);
    const listed = await tscompose(['-p', project, 'ps', '--format', 'json'], dir, env);
    expect(listed.code).toBe(0);
    // compose's shape: one JSON object per line.
    expect(listed.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ Name: 'i16-tls-web-1', State: 'running' })]);
    const downed = await tscompose(['-p', project, '--progress', 'plain', 'down', '-t', '1'], dir, env);
    expect(downed.code).toBe(0);
    expect(await projectResources(own.connection, project)).toEqual(NOTHING);
  });

  it('a ca.pem that did not sign the engine’s certificate: one line naming the file, and what to do', async () => {
    const { code, stderr } = await tscompose(['-p', project, 'ps'], dir, own.tlsEnvironment(own.certificates.wrongCa));
    expect(code).toBe(1);
    expect(stderr).toContain(`error: the Docker engine at ${own.tlsUrl} presents a certificate that ${own.certificates.wrongCa}/ca.pem does not vouch for`);
    expect(stderr).toContain('hint: put the CA that signed the engine’s certificate (its --tlscacert) in ca.pem');
    expect(stderr.trim().split('\n')).toHaveLength(2);
  });

  it('a client certificate the engine does not trust: one line naming the file, and what to do', async () => {
    const { code, stderr } = await tscompose(['-p', project, 'ps'], dir, own.tlsEnvironment(own.certificates.untrustedClient));
    expect(code).toBe(1);
    expect(stderr).toContain(`error: the Docker engine at ${own.tlsUrl} does not accept the client certificate ${own.certificates.untrustedClient}/cert.pem`);
    expect(stderr).toContain('hint: use a client certificate signed by the CA the engine trusts');
    expect(stderr.trim().split('\n')).toHaveLength(2);
  });

  it('a missing key.pem: one line naming the file, and what to do, before connecting', async () => {
    const { code, stderr } = await tscompose(['-p', project, 'ps'], dir, own.tlsEnvironment(own.certificates.missingKey));
    expect(code).toBe(1);
    expect(stderr).toContain(`error: DOCKER_TLS_VERIFY is set, but ${own.certificates.missingKey}/key.pem (your client certificate’s key) does not exist`);
    expect(stderr).toContain('hint: set DOCKER_CERT_PATH to the directory holding ca.pem, cert.pem and key.pem');
    expect(stderr.trim().split('\n')).toHaveLength(2);
  });
});

// scripts/test.sh installs openssh-server; elsewhere, without it, this is skipped (a failure with CI=true).
const withSshd = sshdAvailable() || process.env.CI === 'true';
if (!withSshd) console.warn('skipping the ssh:// tests: no /usr/sbin/sshd (apt-get install openssh-server)');

describe.skipIf(!engine || !withSshd)('an engine reached over ssh://', () => {
  let sshd: OwnSshd;
  const project = 'i16-ssh';
  const dir = tempProject({ 'compose.yaml': `services:\n  web:\n    image: ${TEST_IMAGE}\n    command: ["sleep", "600"]\n    stop_grace_period: 1s\n` }, project);

  beforeAll(async () => {
    // The sshd leads to the shared engine: what an earlier, failed run left there goes first.
    await forceRemoveProject(engine!, project);
    sshd = await startOwnSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
    await forceRemoveProject(engine!, project);
  });

  it('up, ps and down work through an sshd with a key from the ssh-agent', async () => {
    const upped = await tscompose(['-p', project, '--progress', 'plain', 'up', '-d'], dir, sshd.environment);
    expect(upped.stderr).toContain('Started');
    expect(upped.code).toBe(0);
    const listed = await tscompose(['-p', project, 'ps', '--format', 'json'], dir, sshd.environment);
    // compose's shape: one JSON object per line.
    expect(listed.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ Name: 'i16-ssh-web-1', State: 'running' })]);
    const downed = await tscompose(['-p', project, '--progress', 'plain', 'down', '-t', '1'], dir, sshd.environment);
    expect(downed.code).toBe(0);
    expect(await projectResources(engine!, project)).toEqual(NOTHING);
  });

  it('a key the agent does not hold: one line naming the address, and what to do', async () => {
    const { code, stderr } = await tscompose(['-p', project, 'ps'], dir, { ...sshd.environment, SSH_AUTH_SOCK: join(dir, 'no-agent.sock') });
    expect(code).toBe(1);
    expect(stderr).toContain(`error: no Docker engine answers at ${sshd.url}`);
    expect(stderr).toContain('hint: check that the key is in your ssh-agent (SSH_AUTH_SOCK)');
  });
});

describe('an engine on plain tcp://', () => {
  it('on another host: a warning that whoever reaches it is root', () => {
    expect(exposedEngineWarning(engineAddress({ DOCKER_HOST: 'tcp://192.0.2.10:2375' }))).toBe(
      'the Docker engine at tcp://192.0.2.10:2375 is reached without TLS: anyone who can reach that port is root on its host; protect it with --tlsverify and set DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, or use ssh://',
    );
    expect(exposedEngineWarning(engineAddress({ DOCKER_HOST: 'tcp://docker.example' }))).toContain('anyone who can reach that port is root');
  });

  it('the CLI warns before anything is sent (here the compose file is missing, so nothing ever is)', async () => {
    const dir = tempProject({}, 'i16-exposed');
    const { code, stderr } = await tscompose(['-f', 'missing.yaml', 'up', '-d'], dir, { ...process.env, DOCKER_HOST: 'tcp://203.0.113.7:2375' });
    expect(code).not.toBe(0);
    expect(stderr.split('\n')[0]).toBe('warning: the Docker engine at tcp://203.0.113.7:2375 is reached without TLS: anyone who can reach that port is root on its host; protect it with --tlsverify and set DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, or use ssh://');
    expect(stderr).toContain('missing.yaml');
  });

  it('on loopback, over TLS, a socket or ssh: no warning', () => {
    expect(exposedEngineWarning(engineAddress({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }))).toBeUndefined();
    expect(exposedEngineWarning(engineAddress({ DOCKER_HOST: 'tcp://localhost:2375' }))).toBeUndefined();
    expect(exposedEngineWarning(engineAddress({ DOCKER_HOST: 'tcp://[::1]:2375' }))).toBeUndefined();
    expect(exposedEngineWarning(engineAddress({}))).toBeUndefined();
    expect(exposedEngineWarning(engineAddress({ DOCKER_HOST: 'ssh://deploy@192.0.2.10' }))).toBeUndefined();
  });
});
