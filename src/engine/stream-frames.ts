import { finished } from 'node:stream/promises';

/** Which stream a frame of a multiplexed attach, logs or exec response belongs to. */
export type OutputStream = 'stdout' | 'stderr';

/**
 * Splits the engine's multiplexed output (containers without a tty) into its frames: each has an
 * 8-byte header, byte 0 the stream (1 stdout, 2 stderr), bytes 4–7 the payload's size. Chunks
 * may end inside a frame; the rest is kept for the next one.
 */
export class FrameDemultiplexer {
  private pending: Buffer = Buffer.alloc(0);

  /** The whole frames completed by this chunk, in order. */
  push(chunk: Buffer): [OutputStream, Buffer][] {
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: [OutputStream, Buffer][] = [];
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      frames.push([this.pending[0] === 2 ? 'stderr' : 'stdout', this.pending.subarray(8, 8 + size)]);
      this.pending = this.pending.subarray(8 + size);
    }
    return frames;
  }
}

/** A multiplexed stream's output, each of stdout and stderr whole, once the stream ends; an abort destroys it and rejects with the reason. */
export async function collectOutput(stream: NodeJS.ReadableStream, signal: AbortSignal | undefined): Promise<{ stdout: string; stderr: string }> {
  const frames = new FrameDemultiplexer();
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const output = { stdout: '', stderr: '' };
  stream.on('data', (chunk: Buffer) => {
    for (const [name, payload] of frames.push(chunk)) output[name] += decoders[name].decode(payload, { stream: true });
  });
  const abort = () => (stream as NodeJS.ReadableStream & { destroy(error?: Error): void }).destroy(signal!.reason as Error);
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await finished(stream);
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  for (const name of ['stdout', 'stderr'] as const) output[name] += decoders[name].decode();
  return output;
}
