import { createWriteStream } from 'node:fs';
import { basename, dirname, join, posix, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { tarArchive, type TarEntry } from '../build-context/tar-writer.js';
import { containerArchive, containerPathKind, putContainerArchive } from '../engine/container-archive.js';
import { TscomposeError, UsageError } from '../errors.js';
import { lazyPackage } from '../lazy-package.js';
import type { ComposeProject, LoadOptions } from '../loader/index.js';
import { runningContainer } from './service-container.js';
import { connectOrReuse, type EngineOptions } from './session.js';
import { loadProjectOrName, requireServices } from './target.js';

/** node:fs/promises, loaded on first use: at start it cost every command about 1 ms. */
const fsPromises = () => process.getBuiltinModule('node:fs/promises');

export interface CopyOptions extends LoadOptions, Pick<EngineOptions, 'connection'> {
  project?: ComposeProject;
  /** `SERVICE:PATH` or a host path. */
  source: string;
  /** `SERVICE:PATH` or a host path; exactly one of source and destination names a service. */
  destination: string;
  /** Replica of the service (default 1). */
  index?: number;
}

/** `service:path` → its parts; a host path (absolute, relative, or with no colon) → undefined. */
function containerSide(argument: string): { service: string; path: string } | undefined {
  const colon = argument.indexOf(':');
  if (colon <= 0 || argument.startsWith('/') || argument.startsWith('.')) return undefined;
  return { service: argument.slice(0, colon), path: argument.slice(colon + 1) || '/' };
}

/**
 * `cp`: copies a file or directory between a service's running container and this machine, as
 * `docker compose cp` does: into a directory that exists, under the source's name; else to the
 * destination's name.
 */
export async function copy(options: CopyOptions): Promise<void> {
  const from = containerSide(options.source);
  const to = containerSide(options.destination);
  if ((from === undefined) === (to === undefined)) throw new UsageError('cp copies between a container and this machine: name a service on one side only', { hint: 'tscompose cp web:/etc/hosts ./hosts, or tscompose cp ./seed.sql db:/tmp/' });
  const side = (from ?? to)!;
  const target = loadProjectOrName(options);
  if (target.project) requireServices(target.project, [side.service]);
  const connection = await connectOrReuse(options);
  const { name } = await runningContainer(connection, target.name, side.service, options.index);
  if (from) {
    const destination = resolve(options.workingDir ?? process.cwd(), options.destination);
    const into = await fsPromises().lstat(destination).then((stat) => stat.isDirectory(), () => false);
    // Into an existing directory under the source's name; otherwise renamed to the destination.
    await extract(await containerArchive(connection, name, from.path), into ? destination : dirname(destination), into ? undefined : basename(destination));
  } else {
    const source = resolve(options.workingDir ?? process.cwd(), options.source);
    const kind = await containerPathKind(connection, name, to!.path);
    const directory = kind === 'directory' ? to!.path : posix.dirname(to!.path);
    if (kind === undefined && (await containerPathKind(connection, name, directory)) !== 'directory') throw new TscomposeError(`${side.service}:${directory} is not a directory in ${name}`, { hint: 'copy into a directory that exists' });
    await putContainerArchive(connection, name, directory, tarArchive(await entriesOf(source, kind === 'directory' ? basename(source) : posix.basename(to!.path))));
  }
}

/** The tar entries of a host file or directory, the top one named `top`. */
async function entriesOf(path: string, top: string): Promise<TarEntry[]> {
  const stat = await fsPromises().lstat(path);
  const base = { name: top, mode: stat.mode & 0o7777, mtime: Math.floor(stat.mtimeMs / 1000) };
  if (stat.isSymbolicLink()) return [{ ...base, type: 'symlink', target: await fsPromises().readlink(path) }];
  if (!stat.isDirectory()) return [{ ...base, type: 'file', path, size: stat.size }];
  const children = await Promise.all((await fsPromises().readdir(path)).sort().map((child) => entriesOf(join(path, child), `${top}/${child}`)));
  return [{ ...base, type: 'directory' }, ...children.flat()];
}

/** Writes a tar's files, directories and symlinks under `directory`, its top entry renamed to `rename` when given; nothing outside `directory`. */
async function extract(archive: NodeJS.ReadableStream, directory: string, rename: string | undefined): Promise<void> {
  // Loaded here: tar-stream and its streams cost every command about 1 ms at start.
  const extractor = lazyPackage('tar-stream').extract();
  extractor.on('entry', (header, stream, next) => {
    const [first = '', ...rest] = header.name.replace(/\/$/, '').split('/');
    const path = resolve(directory, rename ?? first, ...rest);
    const within = relative(directory, path);
    const done = (error?: unknown) => (error ? extractor.destroy(error as Error) : next());
    if (within.startsWith('..')) return stream.resume(), done(new TscomposeError(`the archive names a path outside ${directory}: ${header.name}`));
    const write = async () => {
      if (header.type === 'directory') await fsPromises().mkdir(path, { recursive: true, mode: header.mode });
      else if (header.type === 'symlink') await fsPromises().symlink(header.linkname ?? '', path);
      else if (header.type === 'file') {
        await fsPromises().mkdir(dirname(path), { recursive: true });
        return pipeline(stream, createWriteStream(path, { mode: header.mode }));
      }
      stream.resume();
    };
    write().then(() => done(), done);
  });
  await pipeline(archive, extractor);
}
