import { accessSync, constants, lstatSync, readlinkSync, type Dirent, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { TscomposeError } from '../errors.js';
import { DockerignoreMatcher, type ParentMatches } from './dockerignore.js';
import { tarArchive, type TarEntry } from './tar-writer.js';

/** node:fs/promises, loaded on first use: at start it cost every command about 1 ms. */
const fsPromises = () => process.getBuiltinModule('node:fs/promises');

export interface BuildContextOptions {
  /** Absolute context directory. */
  contextDir: string;
  /** Dockerfile path as the compose file gave it (relative to the context, or absolute); default "Dockerfile". */
  dockerfile?: string;
  /** `dockerfile_inline`: the Dockerfile text itself. */
  dockerfileInline?: string;
}

export interface BuildContext {
  /** The tar stream for POST /build. */
  stream: NodeJS.ReadableStream;
  /** The Dockerfile's path inside the tar, for the `dockerfile` query parameter. */
  dockerfile: string;
  /** Entries other than directories put in the context: files, symlinks, hard links. */
  files: number;
  /** The Dockerfile's text, for what it builds FROM. */
  dockerfileText: string;
}

/** A build context or Dockerfile that cannot be found or read. */
export class BuildContextError extends TscomposeError {}

const IGNORE_FILE = '.dockerignore';

/** Where the Dockerfile goes in the tar: walked like any file, or added under a generated name. */
type DockerfilePlacement = { inContext: string } | { generated: { name: string; data: Buffer } };

/**
 * Makes the tar of a build context as the docker CLI does for the classic builder: the
 * context directory walked in sorted order, entries matched by its `.dockerignore`
 * skipped, symlinks stored as symlinks, owner 0:0. The Dockerfile and the `.dockerignore`
 * are sent even when ignored. A Dockerfile outside the context, or `dockerfileInline`, is
 * added as `.dockerfile.<hash of its text>` and named in the `.dockerignore` sent along, so
 * that the engine drops it from what COPY sees, as it drops the Dockerfile. Every file is
 * checked for reading here; the bytes are read as the stream is consumed.
 */
export async function createBuildContext(options: BuildContextOptions): Promise<BuildContext> {
  const contextDir = await contextDirectory(options.contextDir);
  const ignoreFile = join(resolve(options.contextDir), IGNORE_FILE);
  const ignoreText = await readIgnoreFile(ignoreFile);
  const matcher = ignoreText === undefined ? new DockerignoreMatcher([]) : DockerignoreMatcher.parse(ignoreText.toString('utf8'), ignoreFile);
  const placement = await placeDockerfile(contextDir, options);
  const forced = new Set<string>();
  if (ignoreText !== undefined) forced.add(IGNORE_FILE);
  if ('inContext' in placement) forced.add(placement.inContext);

  const entries = await walkContext(contextDir, matcher, forced);
  if ('generated' in placement) addGeneratedDockerfile(entries, placement.generated, ignoreText);
  const dockerfileText = 'inContext' in placement ? await fsPromises().readFile(join(contextDir, placement.inContext), 'utf8') : placement.generated.data.toString('utf8');
  return {
    stream: tarArchive(entries),
    dockerfile: 'inContext' in placement ? placement.inContext : placement.generated.name,
    files: entries.filter((entry) => entry.type !== 'directory').length,
    dockerfileText,
  };
}

/**
 * Appends the Dockerfile, and names it in the `.dockerignore` (made when there is none) as the
 * docker CLI does: the engine then leaves it out of what COPY sees.
 */
function addGeneratedDockerfile(entries: TarEntry[], dockerfile: { name: string; data: Buffer }, ignoreText: Buffer | undefined): void {
  entries.push({ type: 'file', name: dockerfile.name, mode: 0o600, mtime: 0, data: dockerfile.data });
  const listed = Buffer.from(`\n${dockerfile.name}\n`);
  const index = entries.findIndex((entry) => entry.name === IGNORE_FILE);
  if (index < 0 || ignoreText === undefined) {
    entries.push({ type: 'file', name: IGNORE_FILE, mode: 0o600, mtime: 0, data: Buffer.concat([Buffer.from(IGNORE_FILE), listed]) });
    return;
  }
  const found = entries[index]!;
  entries[index] = { type: 'file', name: IGNORE_FILE, mode: found.type === 'file' ? found.mode : 0o600, mtime: found.mtime, data: Buffer.concat([ignoreText, listed]) };
}

/** The context directory with symlinks resolved, as the docker CLI resolves it. */
async function contextDirectory(dir: string): Promise<string> {
  let real: string;
  try {
    real = await fsPromises().realpath(resolve(dir));
  } catch (error) {
    throw new BuildContextError(`build context ${dir} ${missing(error) ? 'does not exist' : `cannot be read: ${reason(error)}`}`, { cause: error });
  }
  const stats = await fsPromises().stat(real);
  if (!stats.isDirectory()) throw new BuildContextError(`build context ${dir} is not a directory`);
  return real;
}

async function readIgnoreFile(path: string): Promise<Buffer | undefined> {
  try {
    return await fsPromises().readFile(path);
  } catch (error) {
    if (missing(error)) return undefined;
    throw new BuildContextError(`cannot read ${path}: ${reason(error)}`, { cause: error });
  }
}

/**
 * Finds the Dockerfile as the docker CLI does: relative to the (resolved) context, symlinks
 * followed, `dockerfile` tried when the default `Dockerfile` is absent.
 */
async function placeDockerfile(contextDir: string, options: BuildContextOptions): Promise<DockerfilePlacement> {
  if (options.dockerfileInline !== undefined) return { generated: generatedDockerfile(Buffer.from(options.dockerfileInline)) };
  const candidates = options.dockerfile === undefined ? ['Dockerfile', 'dockerfile'] : [options.dockerfile];
  // Named as the user gave it, before the context's symlinks were resolved.
  const given = resolve(options.contextDir, candidates[0]!);
  let real: string | undefined;
  for (const candidate of candidates) {
    try {
      real = await fsPromises().realpath(resolve(contextDir, candidate));
      break;
    } catch (error) {
      if (!missing(error)) throw new BuildContextError(`cannot read the Dockerfile ${given}: ${reason(error)}`, { cause: error });
    }
  }
  if (real === undefined) {
    const hint = isAbsolute(candidates[0]!) ? undefined : `a relative dockerfile is taken from the build context ${options.contextDir}`;
    throw new BuildContextError(`Dockerfile ${given} does not exist`, { hint });
  }
  if ((await fsPromises().stat(real)).isDirectory()) throw new BuildContextError(`Dockerfile ${given} is a directory`);
  const inside = relative(contextDir, real);
  if (inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside)) return { inContext: inside.split(sep).join('/') };
  try {
    return { generated: generatedDockerfile(await fsPromises().readFile(real)) };
  } catch (error) {
    throw new BuildContextError(`cannot read the Dockerfile ${given}: ${reason(error)}`, { cause: error });
  }
}

/** Named after its content, where the docker CLI takes a random name, so that the same build sends the same tar. */
function generatedDockerfile(data: Buffer): { name: string; data: Buffer } {
  return { name: `.dockerfile.${process.getBuiltinModule('node:crypto').createHash('sha256').update(data).digest('hex').slice(0, 20)}`, data };
}

/**
 * The context's entries in the order the docker CLI's walk sends them: each directory
 * before what it holds, names in byte order. `forced` paths are sent whatever the patterns
 * say, and the excluded directories on their way are entered without being sent.
 */
async function walkContext(root: string, matcher: DockerignoreMatcher, forced: ReadonlySet<string>): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const firstNames = new Map<string, string>();
  const leadsToForced = (dir: string) => [...forced].some((path) => path.startsWith(`${dir}/`));

  async function walk(dir: string, relativeDir: string, parent: ParentMatches | undefined): Promise<void> {
    const dirents = await readDirectory(dir);
    const visits = dirents.map((dirent) => {
      const path = relativeDir === '' ? dirent.name : `${relativeDir}/${dirent.name}`;
      const isDirectory = dirent.isDirectory();
      const visit = matcher.visit(path, isDirectory, parent);
      let action = forced.has(path) ? 'send' : visit.action;
      if (action === 'skip' && isDirectory && leadsToForced(path)) action = 'enter';
      return { path, absolute: join(dir, dirent.name), action, matches: visit.matches };
    });
    for (const visit of visits) {
      if (visit.action === 'enter') {
        await walk(visit.absolute, visit.path, visit.matches);
        continue;
      }
      const found = visit.action === 'send' ? describe(visit.absolute, visit.path) : undefined;
      if (!found) continue;
      const { entry, stats } = found;
      if (entry.type === 'file' && stats.nlink > 1) {
        // Later names of a hard-linked file are links to the first, as the docker CLI writes them.
        const inode = `${stats.dev}:${stats.ino}`;
        const first = firstNames.get(inode);
        if (first !== undefined) {
          entries.push({ type: 'hardlink', name: entry.name, mode: entry.mode, mtime: entry.mtime, target: first });
          continue;
        }
        firstNames.set(inode, entry.name);
      }
      entries.push(entry);
      if (entry.type === 'directory') await walk(visit.absolute, visit.path, visit.matches);
    }
  }

  await walk(root, '', undefined);
  return entries;
}

async function readDirectory(dir: string): Promise<Dirent[]> {
  try {
    const dirents = await fsPromises().readdir(dir, { withFileTypes: true });
    return dirents.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  } catch (error) {
    throw new BuildContextError(`cannot read ${dir} for the build context: ${reason(error)}`, { cause: error });
  }
}

/**
 * The tar entry of one path, checked for reading as the docker CLI checks the context before
 * it sends it. Sockets, FIFOs and devices are left out (undefined). Synchronous, as the small
 * reads are (tar-writer.ts): a 10,000-file walk took 0.3 s so and 0.8–1.1 s asynchronously;
 * reading each directory stays asynchronous and gives the event loop its turns.
 */
function describe(absolute: string, name: string): { entry: TarEntry; stats: Stats } | undefined {
  try {
    const stats = lstatSync(absolute);
    const base = { name, mode: stats.mode & 0o7777, mtime: Math.floor(stats.mtimeMs / 1000) };
    if (stats.isDirectory()) return { entry: { type: 'directory', ...base }, stats };
    if (stats.isSymbolicLink()) return { entry: { type: 'symlink', ...base, target: readlinkSync(absolute) }, stats };
    if (!stats.isFile()) return undefined;
    accessSync(absolute, constants.R_OK);
    return { entry: { type: 'file', ...base, path: absolute, size: stats.size }, stats };
  } catch (error) {
    throw new BuildContextError(`cannot read ${absolute} for the build context: ${reason(error)}`, { cause: error });
  }
}

function missing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function reason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? message;
}
