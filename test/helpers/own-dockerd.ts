import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import type { EngineConnection } from '../../src/engine/client.js';
import { connectEngine } from '../../src/engine/client.js';
import { TEST_IMAGE } from './engine.js';

/** Directories of client certificates, each as DOCKER_CERT_PATH expects (ca.pem, cert.pem, key.pem). */
export interface ClientCertificates {
  /** Signed by the engine's CA, with the CA that signed the engine's certificate. */
  good: string;
  /** The right client certificate, but a ca.pem of another CA. */
  wrongCa: string;
  /** A client certificate of another CA, which the engine does not trust. */
  untrustedClient: string;
  /** The good certificates without key.pem. */
  missingKey: string;
}

export interface OwnEngine {
  /** unix:// socket, no TLS: for the test's own set-up. */
  socketUrl: string;
  /** tcp://127.0.0.1:<port>, which requires TLS with a client certificate. */
  tlsUrl: string;
  certificates: ClientCertificates;
  /** The environment for reaching the TLS listener with the certificates in `certPath`. */
  tlsEnvironment(certPath: string): NodeJS.ProcessEnv;
  /** A connection over its unix socket. */
  connection: EngineConnection;
  stop(): Promise<void>;
}

/** Its default bridge's address, outside its pools and the main engine's; by port, so that two runs at once do not share one. */
const bridgeAddress = (port: number) => `10.217.${port % 256}.1/24`;

/** Address pools for its networks, apart from the main engine's (172.17+/192.168): the two share the host's routing table. */
const ADDRESS_POOL = 'base=10.216.0.0/16,size=24';

/**
 * A dockerd of the test's own, beside the shared one: its own data, exec root, pid file and
 * containerd namespace; a default bridge of its own and no iptables rules, so it does not touch
 * the main engine's networking. It listens on a unix socket and on 127.0.0.1 with --tlsverify, with
 * certificates made here by openssl, and holds the test image.
 */
export async function startOwnDockerd(mainEngine: EngineConnection): Promise<OwnEngine> {
  const dir = mkdtempSync('/tmp/tscompose-dockerd-');
  const certificates = makeCertificates(join(dir, 'pki'));
  const port = await freePort();
  const socket = join(dir, 'docker.sock');
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  const server = join(dir, 'pki', 'server');
  // A default bridge of its own, made here: with --bridge=none, dockerd 20.10 deletes the host's
  // docker0 at start (removeDefaultBridgeInterface), which is the main engine's.
  const bridge = `tscbr${port}`;
  const hadDocker0 = linkExists('docker0');
  execFileSync('ip', ['link', 'add', 'name', bridge, 'type', 'bridge']);
  execFileSync('ip', ['addr', 'add', bridgeAddress(port), 'dev', bridge]);
  execFileSync('ip', ['link', 'set', bridge, 'up']);
  const child: ChildProcess = spawn(
    'dockerd',
    [
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'exec')}`,
      `--pidfile=${join(dir, 'docker.pid')}`,
      `--host=unix://${socket}`,
      `--host=tcp://127.0.0.1:${port}`,
      '--tlsverify',
      `--tlscacert=${join(server, 'ca.pem')}`,
      `--tlscert=${join(server, 'cert.pem')}`,
      `--tlskey=${join(server, 'key.pem')}`,
      `--bridge=${bridge}`,
      '--iptables=false',
      '--ip-masq=false',
      `--default-address-pool=${ADDRESS_POOL}`,
      `--containerd-namespace=tscompose-${port}`,
      `--containerd-plugins-namespace=tscompose-${port}-plugins`,
    ],
    { stdio: ['ignore', log, log], env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } },
  );
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exit;
      clearTimeout(killer);
    }
    execFileSync('ip', ['link', 'delete', bridge]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await untilAnswers(socket, () => exited, join(dir, 'dockerd.log'));
    if (hadDocker0 && !linkExists('docker0')) throw new Error('the test’s own dockerd removed the host’s docker0: the main engine’s default bridge is broken until it is recreated');
    const connection = await connectEngine({ DOCKER_HOST: `unix://${socket}` });
    const image = await mainEngine.docker.getImage(TEST_IMAGE).get();
    const loaded = (await connection.docker.loadImage(image as never)) as NodeJS.ReadableStream;
    await new Promise((resolve, reject) => connection.docker.modem.followProgress(loaded, (error) => (error ? reject(error) : resolve(undefined))));
    const tlsUrl = `tcp://127.0.0.1:${port}`;
    return {
      socketUrl: `unix://${socket}`,
      tlsUrl,
      certificates,
      tlsEnvironment: (certPath) => ({ ...process.env, DOCKER_API_VERSION: undefined, DOCKER_HOST: tlsUrl, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certPath }),
      connection,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function linkExists(name: string): boolean {
  try {
    execFileSync('ip', ['link', 'show', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function untilAnswers(socketPath: string, exited: () => boolean, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answered = await new Promise<boolean>((resolve) => {
      const ping = request({ socketPath, path: '/_ping', timeout: 2000 }, (response) => (response.resume(), resolve(response.statusCode === 200)));
      ping.on('error', () => resolve(false));
      ping.on('timeout', () => (ping.destroy(), resolve(false)));
      ping.end();
    });
    if (answered) return;
    if (exited() || Date.now() > deadline) throw new Error(`the test's own dockerd did not come up; see ${logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A CA, the engine's certificate for 127.0.0.1, a client certificate, and the faulty variants. */
function makeCertificates(dir: string): ClientCertificates {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  mkdirSync(dir, { recursive: true });
  const ca = (name: string) => openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`);
  const signed = (name: string, by: string, extensions: string) => {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    writeFileSync(join(dir, `${name}.ext`), extensions);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${by}.pem`, '-CAkey', `${by}-key.pem`, '-CAcreateserial', '-out', `${name}-cert.pem`, '-days', '2', '-extfile', `${name}.ext`);
  };
  ca('engine-ca');
  ca('other-ca');
  signed('server', 'engine-ca', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  signed('client', 'engine-ca', 'extendedKeyUsage=clientAuth\n');
  signed('stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
  const certDir = (name: string, files: { ca: string; cert: string; key?: string }) => {
    const target = join(dir, name);
    mkdirSync(target);
    copyFileSync(join(dir, files.ca), join(target, 'ca.pem'));
    copyFileSync(join(dir, files.cert), join(target, 'cert.pem'));
    if (files.key) copyFileSync(join(dir, files.key), join(target, 'key.pem'));
    return target;
  };
  certDir('server', { ca: 'engine-ca.pem', cert: 'server-cert.pem', key: 'server-key.pem' });
  return {
    good: certDir('good', { ca: 'engine-ca.pem', cert: 'client-cert.pem', key: 'client-key.pem' }),
    wrongCa: certDir('wrong-ca', { ca: 'other-ca.pem', cert: 'client-cert.pem', key: 'client-key.pem' }),
    untrustedClient: certDir('untrusted-client', { ca: 'engine-ca.pem', cert: 'stranger-cert.pem', key: 'stranger-key.pem' }),
    missingKey: certDir('missing-key', { ca: 'engine-ca.pem', cert: 'client-cert.pem' }),
  };
}
