import type { Readable } from 'node:stream';
import { lazyPackage } from '../lazy-package.js';
import type { EngineConnection } from './client.js';
import { ignoreNotFound } from './responses.js';

/** A path in a container, as the archive endpoint's stat header describes it; undefined when there is none. */
export async function containerPathKind(connection: EngineConnection, container: string, path: string): Promise<'directory' | 'other' | undefined> {
  const response = (await ignoreNotFound(connection.docker.getContainer(container).infoArchive({ path }))) as (Readable & { headers: Record<string, string | undefined> }) | undefined;
  if (!response) return undefined;
  response.resume();
  const stat = JSON.parse(Buffer.from(response.headers['x-docker-container-path-stat'] ?? 'e30=', 'base64').toString()) as { mode?: number };
  // Go's os.ModeDir is the top bit of the 32-bit mode.
  return ((stat.mode ?? 0) & 0x80000000) !== 0 ? 'directory' : 'other';
}

/** A tar of `path` in the container (GET /containers/{id}/archive), its top entry named after the path's last part. */
export async function containerArchive(connection: EngineConnection, container: string, path: string): Promise<Readable> {
  return (await connection.docker.getContainer(container).getArchive({ path })) as Readable;
}

/** Extracts a tar into `directory` in the container (PUT /containers/{id}/archive). */
export async function putContainerArchive(connection: EngineConnection, container: string, directory: string, archive: Readable): Promise<void> {
  await connection.docker.getContainer(container).putArchive(archive, { path: directory });
}

/** One file a container gets: its path, text, permission bits and owner (absent: the engine makes it root's). */
export interface ContainerFileWrite {
  path: string;
  text: string;
  mode: number;
  uid?: number;
  gid?: number;
}

/**
 * Writes one file into a container (PUT /containers/{id}/archive at `/`, a one-file tar), its
 * missing directories made by the engine. With an owner the tar's uid and gid are kept
 * (copyUIDGID), as compose's copyFileToContainer.
 */
export async function putContainerFile(connection: EngineConnection, container: string, file: ContainerFileWrite): Promise<void> {
  // Loaded here: tar-stream and its streams cost every command about 1 ms at start.
  const pack = lazyPackage('tar-stream').pack();
  const owned = file.uid !== undefined || file.gid !== undefined;
  pack.entry({ name: file.path.replace(/^\/+/, ''), mode: file.mode, uid: file.uid ?? 0, gid: file.gid ?? 0, mtime: new Date() }, file.text);
  pack.finalize();
  await connection.docker.getContainer(container).putArchive(pack, { path: '/', ...(owned ? { copyUIDGID: true } : {}) });
}
