import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineAddress } from '../../src/engine/address.js';
import { engineReader, httpModem } from '../../src/engine/engine-get.js';

/** A fake engine on a unix socket: each request line is answered by `answer`, raw bytes in as many writes as it returns. */
async function fakeEngine(answer: (requestLine: string, socket: Socket) => string[] | undefined): Promise<{ address: EngineAddress; requests: string[]; connections: number; server: Server }> {
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-engine-get-'));
  dirs.push(dir);
  const socketPath = join(dir, 'engine.sock');
  const state = { requests: [] as string[], connections: 0 };
  const server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const requestLine = pending.slice(0, pending.indexOf('\r\n'));
        pending = pending.slice(end + 4);
        state.requests.push(requestLine);
        const parts = answer(requestLine, socket);
        parts?.forEach((part, index) => setTimeout(() => socket.write(part), index * 5));
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    address: { display: `unix://${socketPath}`, options: { socketPath } },
    get requests() {
      return state.requests;
    },
    get connections() {
      return state.connections;
    },
    server,
  };
}

const dirs: string[] = [];
const servers: Server[] = [];
/** The reader keeps its connections open: they are cut so that the servers can close. */
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const json = (status: number, body: unknown, extra = '') => {
  const text = JSON.stringify(body);
  return `HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${extra}\r\n${text}`;
};
const OK = { 200: true } as const;

describe('the snapshot reader (GETs over a socket of its own)', () => {
  it('reads answers with a length and chunked answers split over many writes, under the API version', async () => {
    const engine = await fakeEngine((line) => {
      if (line.includes('/containers/json')) return [json(200, [{ Id: 'a' }])];
      const body = JSON.stringify({ Name: 'é'.repeat(3000) });
      const chunks = [body.slice(0, 1000), body.slice(1000)].map((part) => `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
      return ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', chunks[0]!.slice(0, 7), chunks[0]!.slice(7), chunks[1]!, '0\r\n', '\r\n'];
    });
    const reader = engineReader(httpModem(engine.address, '1.41'));
    expect(await reader.get('/containers/json', OK, { all: true, filters: { label: ['a=b'] } })).toEqual([{ Id: 'a' }]);
    expect(await reader.get('/containers/x%20y/json', OK)).toEqual({ Name: 'é'.repeat(3000) });
    expect(engine.requests).toEqual([`GET /v1.41/containers/json?all=true&filters=${encodeURIComponent('{"label":["a=b"]}')} HTTP/1.1`, 'GET /v1.41/containers/x%20y/json HTTP/1.1']);
  });

  it("reports the engine's refusal as dockerode does: status, reason and the engine's message", async () => {
    const engine = await fakeEngine(() => [json(404, { message: 'No such container: x' })]);
    const error = await engineReader(httpModem(engine.address, '1.41'))
      .get('/containers/x/json', { 200: true, 404: 'no such container' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 404, reason: 'no such container', json: { message: 'No such container: x' } });
    expect((error as Error).message).toBe('(HTTP code 404) no such container - No such container: x ');
  });

  it('keeps connections for the next calls, and sends a call again once when the engine closed its kept-alive connection', async () => {
    let served = 0;
    const engine = await fakeEngine((_line, socket) => {
      served++;
      // The second call finds its connection closed, as an engine's idle timeout does.
      if (served === 2) return void socket.destroy();
      return [json(200, { served })];
    });
    const reader = engineReader(httpModem(engine.address, undefined));
    expect(await reader.get('/a', OK)).toEqual({ served: 1 });
    expect(await reader.get('/b', OK)).toEqual({ served: 3 });
    expect(await reader.get('/c', OK)).toEqual({ served: 4 });
    expect(engine.requests).toEqual(['GET /a HTTP/1.1', 'GET /b HTTP/1.1', 'GET /b HTTP/1.1', 'GET /c HTTP/1.1']);
    expect(engine.connections).toBe(2);
  });

  it('fails a call whose fresh connection breaks, and one that is aborted, at once', async () => {
    const engine = await fakeEngine((line, socket) => (line.includes('/cut') ? void socket.destroy() : undefined));
    const reader = engineReader(httpModem(engine.address, undefined));
    await expect(reader.get('/cut', OK)).rejects.toMatchObject({ message: 'socket hang up', code: 'ECONNRESET' });
    const controller = new AbortController();
    const stalled = reader.get('/stall', OK, undefined, controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(stalled).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
  });

  it('names the socket when no engine listens there', async () => {
    const address: EngineAddress = { display: 'unix:///nonexistent/docker.sock', options: { socketPath: '/nonexistent/docker.sock' } };
    await expect(engineReader(httpModem(address, undefined)).get('/_ping', OK)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('hands the ping its headers', async () => {
    const engine = await fakeEngine(() => ['HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK']);
    const answer = await engineReader(httpModem(engine.address, undefined)).headersOf('/_ping', OK, AbortSignal.timeout(1000));
    expect(answer.headers['api-version']).toBe('1.41');
  });
});
