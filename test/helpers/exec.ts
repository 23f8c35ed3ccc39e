import { PassThrough } from 'node:stream';
import type { EngineConnection } from '../../src/engine/client.js';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `cmd` inside a running container through the Engine API (POST /containers/{id}/exec),
 * waits for it to end and returns its exit code and output, stdout and stderr demultiplexed.
 */
export async function execIn(engine: EngineConnection, container: string, cmd: string[], timeoutMs = 20_000): Promise<ExecResult> {
  const { docker } = engine;
  const exec = await docker.getContainer(container).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  docker.modem.demuxStream(stream, out, err);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`exec ${JSON.stringify(cmd)} in ${container} did not end within ${timeoutMs} ms (stdout so far: ${JSON.stringify(stdout)})`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  // The stream can end a moment before the engine records the exit code.
  for (let attempt = 0; ; attempt++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return { exitCode: info.ExitCode, stdout, stderr };
    if (attempt >= 50) throw new Error(`exec ${JSON.stringify(cmd)} in ${container}: no exit code after the output ended`);
    await sleep(50);
  }
}

/** `sh -c SCRIPT` inside the container. */
export function shIn(engine: EngineConnection, container: string, script: string): Promise<ExecResult> {
  return execIn(engine, container, ['sh', '-c', script]);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface HttpResult {
  status: number;
  body: string;
}

/**
 * GET with node's fetch and a short timeout. Only loopback and the swarm test engines' network
 * namespaces (10.213.0.0/16, scripts/swarm-test-engines.sh): tests never send traffic anywhere
 * but there and their own containers.
 */
export async function httpGet(url: string, timeoutMs = 3000): Promise<HttpResult> {
  const { hostname } = new URL(url);
  if (hostname !== '127.0.0.1' && !hostname.startsWith('10.213.')) throw new Error(`httpGet is for 127.0.0.1 and the swarm test namespaces only, not ${hostname}`);
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, body: await response.text() };
}

/**
 * Retries `probe` until it returns without throwing (a server in a container that was just
 * started may need a moment to listen), then returns its value; rethrows the last error.
 */
export async function eventually<T>(probe: () => Promise<T>, { timeoutMs = 10_000, intervalMs = 200 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(intervalMs);
    }
  }
}

/** httpGet, retried until it answers 200; returns the body. */
export async function httpBody(url: string, timeoutMs = 10_000): Promise<string> {
  return eventually(async () => {
    const result = await httpGet(url);
    if (result.status !== 200) throw new Error(`GET ${url}: HTTP ${result.status}`);
    return result.body;
  }, { timeoutMs });
}
