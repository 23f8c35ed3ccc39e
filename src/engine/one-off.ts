import type { EngineConnection } from './client.js';
import type { ExecResult } from './container-exec.js';
import { collectOutput } from './stream-frames.js';

/**
 * Starts a created container (without a tty) attached, and collects its output and exit code
 * once it has exited. An abort rejects with its reason; the container runs on until removed.
 */
export async function runAttached(connection: EngineConnection, name: string, signal?: AbortSignal): Promise<ExecResult> {
  signal?.throwIfAborted();
  const container = connection.docker.getContainer(name);
  // Attached before the start, so that no output is missed.
  const stream = await container.attach({ stream: true, stdout: true, stderr: true, ...(signal ? { abortSignal: signal } : {}) });
  const output = collectOutput(stream, signal);
  // Awaited below; until then a rejection (an abort during the start) must not count as unhandled.
  output.catch(() => {});
  await container.start();
  const [{ StatusCode: exitCode }] = (await Promise.all([container.wait(signal ? { abortSignal: signal } : {}), output])) as [{ StatusCode: number }, unknown];
  return { exitCode, ...(await output) };
}
