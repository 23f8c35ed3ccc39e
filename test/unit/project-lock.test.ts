import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { engineAddress } from '../../src/engine/address.js';
import { lockPath, lockProject, type LockHolder } from '../../src/engine/project-lock.js';

const address = engineAddress({});
const project = `i16-lock-${process.pid}`;

describe('the lock of a project on an engine', () => {
  it('makes a second taker wait, telling it who holds the lock, until the holder lets go', async () => {
    const first = await lockProject(address, project, { command: 'up' });
    let told: (holder: LockHolder | undefined) => void;
    const waiting = new Promise<LockHolder | undefined>((resolve) => (told = resolve));
    let secondHeld = false;
    const second = lockProject(address, project, { command: 'down', onWait: (holder) => told(holder) }).then((lock) => ((secondHeld = true), lock));
    expect(await waiting).toMatchObject({ pid: process.pid, command: 'up' });
    expect(secondHeld).toBe(false);
    await first.release();
    await (await second).release();
  });

  it('is one per engine and project: other projects and engines do not wait', async () => {
    const held = await lockProject(address, project, { command: 'up' });
    const onWait = () => {
      throw new Error('waited');
    };
    await (await lockProject(address, `${project}-other`, { command: 'up', onWait })).release();
    await (await lockProject(engineAddress({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }), project, { command: 'up', onWait })).release();
    await held.release();
  });

  it('is free the moment its holder is killed with SIGKILL', async () => {
    const name = Buffer.from(lockPath(address, project)).toString('hex');
    const holder = spawn(process.execPath, ['-e', `require('net').createServer((s) => s.write(JSON.stringify({ pid: process.pid, command: 'up', since: '' }) + '\\n')).listen(Buffer.from('${name}', 'hex').toString(), () => console.log('held'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    let waited = false;
    const taken = lockProject(address, project, { command: 'up', onWait: () => ((waited = true), holder.kill('SIGKILL')) });
    await (await taken).release();
    expect(waited).toBe(true);
  });

  it('stops waiting when the caller aborts', async () => {
    const held = await lockProject(address, project, { command: 'up' });
    const controller = new AbortController();
    const waiting = lockProject(address, project, { command: 'down', signal: controller.signal, onWait: () => controller.abort(new Error('Ctrl-C')) });
    await expect(waiting).rejects.toThrow('Ctrl-C');
    await held.release();
  });
});
