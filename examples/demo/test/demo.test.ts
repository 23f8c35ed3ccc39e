import { describe, expect, inject, it } from 'vitest';

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
});
