import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { exec, run } from 'tscompose';

/** The directory of compose.yaml. */
const workingDir = fileURLToPath(new URL('..', import.meta.url));

const services = inject('services');
const web = `http://${services.WEB_PORT_80_TCP_ADDR}:${services.WEB_PORT_80_TCP_PORT}`;
// The api publishes a random host port: the variables hold the one the engine chose.
const api = `http://${services.API_PORT_3000_TCP_ADDR}:${services.API_PORT_3000_TCP_PORT}`;

describe('the demo stack', () => {
  it('serves the front page', async () => {
    const response = await fetch(`${web}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<h1>demo</h1>');
  });

  it('answers on the api health endpoint', async () => {
    const response = await fetch(`${api}/health`);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('keeps what a test seeds into the database (exec)', async () => {
    const seeded = await exec({ workingDir, service: 'db', command: ['sh', '-c', 'mkdir -p /data && echo "alice" >> /data/users && wc -l < /data/users'] });
    expect(seeded.exitCode).toBe(0);
    const users = await exec({ workingDir, service: 'db', command: ['cat', '/data/users'] });
    expect(users.stdout).toContain('alice');
  });

  it('runs a one-off job on the internal network, reaching the database by name (run)', async () => {
    // The worker's network only: the job sees what the worker sees.
    const job = await run({ workingDir, service: 'worker', command: ['nc', 'db', '5432'], remove: true });
    expect(job).toMatchObject({ exitCode: 0, stdout: 'ready\n' });
  });
});
