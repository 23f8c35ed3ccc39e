import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './own-dockerd.js';

export interface OwnSshd {
  /** ssh://root@127.0.0.1:<port>, for DOCKER_HOST. */
  url: string;
  /** The environment for reaching the engine through it: DOCKER_HOST, and SSH_AUTH_SOCK of an agent holding the key. */
  environment: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export const SSHD = '/usr/sbin/sshd';

/** Whether sshd is installed here (scripts/test.sh installs Debian's openssh-server). */
export function sshdAvailable(): boolean {
  return existsSync(SSHD);
}

/**
 * An sshd of the test's own on 127.0.0.1, accepting only a key made here, which an ssh-agent of
 * its own holds: ssh:// reaches the engine through `docker system dial-stdio` on this host.
 */
export async function startOwnSshd(): Promise<OwnSshd> {
  const dir = mkdtempSync('/tmp/tscompose-sshd-');
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, file)], { stdio: 'ignore' });
    keygen('host_key');
    keygen('client_key');
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
    const port = await freePort();
    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host_key')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'StrictModes no',
        'UsePAM no',
        '',
      ].join('\n'),
    );
    // sshd's privilege separation directory; Debian makes it when the service starts, which it never did here.
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const sshd = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(sshd);
    let sshdLog = '';
    sshd.stderr!.on('data', (chunk: Buffer) => (sshdLog += chunk.toString()));
    const agentSocket = join(dir, 'agent.sock');
    children.push(spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' }));
    await until(() => existsSync(agentSocket) && listening(port), () => (sshd.exitCode !== null ? `sshd exited: ${sshdLog}` : undefined));
    execFileSync('ssh-add', ['-q', join(dir, 'client_key')], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket }, stdio: 'ignore' });
    const url = `ssh://root@127.0.0.1:${port}`;
    return { url, environment: { ...process.env, DOCKER_API_VERSION: undefined, DOCKER_HOST: url, DOCKER_TLS_VERIFY: undefined, SSH_AUTH_SOCK: agentSocket }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

async function until(ready: () => boolean | Promise<boolean>, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (await ready()) return;
    const why = failed();
    if (why || Date.now() > deadline) throw new Error(why ?? 'the test’s own sshd did not come up within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
