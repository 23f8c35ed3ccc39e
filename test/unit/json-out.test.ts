import { describe, expect, it } from 'vitest';
import { writeJson } from '../../src/cli/json-out.js';

/** What writeJson writes, and how many writes it took. */
async function written(value: unknown): Promise<{ text: string; writes: number }> {
  let text = '';
  let writes = 0;
  await writeJson(value, { write: (piece: string) => ((text += piece), writes++, true) } as unknown as NodeJS.WritableStream);
  return { text, writes };
}

const container = (i: number) => ({ id: `create-container:demo-s${i}-1`, request: { Image: 'busybox', Env: [`A=${i}`, 'B="quoted"\n'], Labels: { 'com.docker.compose.service': `s${i}` } }, cause: undefined, when: new Date(0), ports: [] });

describe('writeJson', () => {
  it.each([
    ['a plan-shaped object with large arrays', { format: 2, containers: Array.from({ length: 300 }, (_, i) => container(i)), operations: Array.from({ length: 1200 }, (_, i) => ({ id: `op-${i}`, after: [i - 1] })), conflicts: [] }],
    ['an array of 65 with holes', Array.from({ length: 65 }, (_, i) => (i % 2 ? undefined : { k: i, f: () => i }))],
    ['an object of 80 members', { big: Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`k"${i}`, { v: [i, { w: i }] }])), tail: 'z', gone: undefined }],
    ['small values', { a: [], b: {}, c: 'str', d: 5, e: null, f: [[], {}] }],
    ['a scalar', 'text'],
    ['null', null],
  ])('writes %s exactly as JSON.stringify(value, null, 2)', async (_name, value) => {
    expect((await written(value)).text).toBe(JSON.stringify(value, null, 2) + '\n');
  });

  it('writes a large plan in pieces, never as one string', async () => {
    const plan = { containers: Array.from({ length: 5000 }, (_, i) => container(i)) };
    const { text, writes } = await written(plan);
    expect(writes).toBeGreaterThan(10);
    expect(text.length).toBe(JSON.stringify(plan, null, 2).length + 1);
  });

  it('waits for a stream that asks it to before writing more', async () => {
    const { PassThrough } = await import('node:stream');
    const stream = new PassThrough({ highWaterMark: 1024 });
    const plan = { containers: Array.from({ length: 2000 }, (_, i) => container(i)) };
    let done = false;
    const writing = writeJson(plan, stream).then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    // Nobody reads the stream yet: the writer waits at the first full buffer instead of queueing the rest.
    expect(done).toBe(false);
    expect(stream.writableLength).toBeLessThan(200_000);
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    await writing;
    expect(Buffer.concat(chunks).toString()).toBe(JSON.stringify(plan, null, 2) + '\n');
  });
});
