import { createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { EngineApiVersionError } from '../../src/engine/api-version.js';
import { EngineUnavailableError } from '../../src/engine/address.js';
import { connectEngine } from '../../src/engine/client.js';
import { engineForTests } from '../helpers/engine.js';

const engine = await engineForTests();
/** The test environment with DOCKER_API_VERSION and DOCKER_HOST as each test sets them. */
const environment = (overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...process.env, DOCKER_API_VERSION: undefined, ...overrides });

describe.skipIf(!engine)('connecting to the engine', () => {
  it('negotiates 1.41 with this Docker 20.10 engine, and prefixes every call with it', async () => {
    const connection = await connectEngine(environment({}));
    expect(connection.apiVersion).toBe('1.41');
    expect((connection.docker.modem as unknown as { version: string }).version).toBe('v1.41');
    expect((await connection.docker.ping()).toString()).toBe('OK');
  });

  it('uses a pinned DOCKER_API_VERSION the engine serves', async () => {
    const connection = await connectEngine(environment({ DOCKER_API_VERSION: '1.41' }));
    expect(connection.apiVersion).toBe('1.41');
    expect(await connection.docker.listNetworks()).toEqual(expect.arrayContaining([expect.objectContaining({ Name: 'bridge' })]));
  });

  it("relays the engine's refusal of a pinned version, in its words, with what to do", async () => {
    for (const pinned of ['1.45', '9.99']) {
      const error = await connectEngine(environment({ DOCKER_API_VERSION: pinned })).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EngineApiVersionError);
      expect((error as EngineApiVersionError).message).toBe(`the Docker engine refuses DOCKER_API_VERSION=${pinned}: client version ${pinned} is too new. Maximum supported API version is 1.41`);
      expect((error as EngineApiVersionError).hint).toBe('unset DOCKER_API_VERSION to negotiate, or set it to 1.41 or older');
    }
  });

  it('uses every pinned version the engine serves, 1.12 to 1.40 included, as the docker CLI does', async () => {
    for (const pinned of ['1.12', '1.24', '1.40']) {
      const connection = await connectEngine(environment({ DOCKER_API_VERSION: pinned }));
      expect(connection.apiVersion).toBe(pinned);
      expect((await connection.docker.ping()).toString()).toBe('OK');
    }
    const tooOld = await connectEngine(environment({ DOCKER_API_VERSION: '1.11' })).catch((caught: unknown) => caught);
    expect((tooOld as Error).message).toMatch(/^the Docker engine refuses DOCKER_API_VERSION=1\.11: client version 1\.11 is too old\. Minimum supported API version is 1\.12/);
  });

  it('names the address when no engine is there', async () => {
    const error = await connectEngine(environment({ DOCKER_HOST: 'unix:///nonexistent.sock' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as Error).message).toMatch(/^no Docker engine answers at unix:\/\/\/nonexistent\.sock: .*ENOENT/);
    expect((error as Error).message).not.toContain('\n');
    expect((error as EngineUnavailableError).hint).toContain('DOCKER_HOST');
  });

  it('reaches ssh:// through ssh2, and names the address when nothing answers there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const error = await connectEngine(environment({ DOCKER_HOST: `ssh://tester@127.0.0.1:${port}` })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as Error).message).toMatch(new RegExp(`^no Docker engine answers at ssh://tester@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    expect((error as EngineUnavailableError).hint).toContain('ssh-agent');
  });

  it('names the address when something listens there but does not answer within 5 s', async () => {
    // A listener that accepts and never replies, on loopback.
    const accepted: Socket[] = [];
    const silent: Server = createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const started = Date.now();
      const error = await connectEngine(environment({ DOCKER_HOST: `tcp://127.0.0.1:${port}` })).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EngineUnavailableError);
      expect((error as Error).message).toBe(`no Docker engine answers at tcp://127.0.0.1:${port}: no answer within 5 s`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
