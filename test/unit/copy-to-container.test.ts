import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import type { EngineConnection } from '../../src/engine/client.js';
import { EngineOperationRunner } from '../../src/executor/operations.js';
import type { OperationOf } from '../../src/planner/types.js';

/** An engine that only takes PUT /containers/{id}/archive, and keeps what it was given. */
function archiveEngine() {
  const puts: { container: string; options: Record<string, unknown>; entries: { header: tar.Headers; text: string }[] }[] = [];
  const docker = {
    getContainer: (container: string) => ({
      putArchive: async (archive: Readable, options: Record<string, unknown>) => {
        const entries: { header: tar.Headers; text: string }[] = [];
        const extract = tar.extract();
        extract.on('entry', (header, stream, next) => {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.push({ header, text: Buffer.concat(chunks).toString() });
            next();
          });
        });
        await new Promise((resolve, reject) => {
          extract.on('finish', resolve).on('error', reject);
          archive.pipe(extract);
        });
        puts.push({ container, options, entries });
      },
    }),
  };
  return { connection: { docker } as unknown as EngineConnection, puts };
}

const copy = (file: OperationOf<'CopyToContainer'>['file']): OperationOf<'CopyToContainer'> => ({ id: `copy-to-container:demo-app-1:${file.target}`, kind: 'CopyToContainer', resource: 'container:demo-app-1', dependsOn: [], cause: 'test', container: 'demo-app-1', file });

describe('CopyToContainer', () => {
  it('writes one file with the text the project gives, its mode and owner, keeping the owner only when one is given', async () => {
    const { connection, puts } = archiveEngine();
    const runner = new EngineOperationRunner(connection, (file) => (file.name === 'api' ? 'the-token' : 'hello'));
    await runner.run(copy({ from: 'secret', name: 'api', target: '/run/secrets/api', mode: 0o400, uid: 1000, gid: 1001 }), new AbortController().signal);
    await runner.run(copy({ from: 'config', name: 'motd', target: '/motd', mode: 0o444 }), new AbortController().signal);
    expect(puts.map(({ container, options, entries }) => ({ container, options, entries: entries.map(({ header, text }) => ({ name: header.name, mode: header.mode, uid: header.uid, gid: header.gid, text })) }))).toEqual([
      { container: 'demo-app-1', options: { path: '/', copyUIDGID: true }, entries: [{ name: 'run/secrets/api', mode: 0o400, uid: 1000, gid: 1001, text: 'the-token' }] },
      { container: 'demo-app-1', options: { path: '/' }, entries: [{ name: 'motd', mode: 0o444, uid: 0, gid: 0, text: 'hello' }] },
    ]);
  });

  it('without a text for it, fails naming the secret, and writes nothing', async () => {
    const { connection, puts } = archiveEngine();
    const runner = new EngineOperationRunner(connection);
    await expect(runner.run(copy({ from: 'secret', name: 'api', target: '/run/secrets/api', mode: 0o444 }), new AbortController().signal)).rejects.toThrow('no text for secret api');
    expect(puts).toEqual([]);
  });
});
