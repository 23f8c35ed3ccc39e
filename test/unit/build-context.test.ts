import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BuildContextError, createBuildContext, type BuildContextOptions } from '../../src/build-context/build-context.js';
import { DockerignoreSyntaxError } from '../../src/build-context/dockerignore.js';
import { ROOT, tempProject } from '../helpers/fixtures.js';

/** 2021-02-03 04:05:06 UTC */
const MTIME = 1612325106;

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

interface Listed {
  mode: string;
  owner: string;
  size: number;
  date: string;
  name: string;
  /** `-> target` of a symlink, `link to target` of a hard link. */
  link?: string;
}

/** The archive as GNU tar lists it (`tar -tvf -`), in order. */
function list(tar: Buffer): Listed[] {
  const run = spawnSync('tar', ['--numeric-owner', '--quoting-style=literal', '-tvf', '-'], { input: tar, env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } });
  expect(run.stderr.toString()).toBe('');
  expect(run.status).toBe(0);
  return run.stdout
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [, mode, owner, size, date, rest] = /^(\S+) (\S+) +(\d+) (\S+ \S+) (.*)$/.exec(line)!;
      const [name, link] = rest!.split(/ -> | link to /);
      return { mode: mode!, owner: owner!, size: Number(size), date: date!, name: name!, ...(link === undefined ? {} : { link }) };
    });
}

/** Extracts the archive into a fresh directory and returns it. */
function extract(tar: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-untar-'));
  const run = spawnSync('tar', ['-xf', '-', '-C', dir], { input: tar });
  expect(run.stderr.toString()).toBe('');
  return dir;
}

async function build(options: BuildContextOptions) {
  const context = await createBuildContext(options);
  const tar = await collect(context.stream);
  return { context, tar, listed: list(tar) };
}

function names(listed: Listed[]): string[] {
  return listed.map((entry) => entry.name);
}

describe('build context', () => {
  it('sends the context in sorted order with modes, times, owner 0:0, symlinks as symlinks, and .dockerignore applied', async () => {
    const dir = tempProject({
      'Dockerfile': 'FROM tscompose/busybox:latest\n',
      '.dockerignore': '# build outputs\nsecret.txt\n*.log\n!keep.log\nnode_modules\n',
      'app/main.sh': 'echo hi\n',
      'app/z.txt': 'z',
      'app.txt': 'next to app/',
      'secret.txt': 'do not send',
      'debug.log': 'noise',
      'keep.log': 'wanted',
      'node_modules/lib/index.js': 'module.exports = 1;\n',
    });
    chmodSync(join(dir, 'app/main.sh'), 0o755);
    chmodSync(join(dir, 'app.txt'), 0o600);
    mkdirSync(join(dir, 'empty'));
    symlinkSync('app/main.sh', join(dir, 'run'));
    symlinkSync('/nowhere', join(dir, 'dangling'));
    for (const path of ['Dockerfile', 'app/main.sh', 'app.txt']) utimesSync(join(dir, path), MTIME, MTIME);

    const { context, tar, listed } = await build({ contextDir: dir });
    expect(names(listed)).toEqual(['.dockerignore', 'Dockerfile', 'app/', 'app/main.sh', 'app/z.txt', 'app.txt', 'dangling', 'empty/', 'keep.log', 'run']);
    expect(context.dockerfile).toBe('Dockerfile');
    expect(context.files).toBe(8);
    const entry = (name: string) => listed.find((listedEntry) => listedEntry.name === name)!;
    expect(entry('Dockerfile')).toEqual({ mode: '-rw-r--r--', owner: '0/0', size: 30, date: '2021-02-03 04:05', name: 'Dockerfile' });
    expect(entry('app/main.sh')).toMatchObject({ mode: '-rwxr-xr-x', size: 8, date: '2021-02-03 04:05' });
    expect(entry('app.txt').mode).toBe('-rw-------');
    expect(entry('app/').mode).toMatch(/^d/);
    expect(entry('run')).toMatchObject({ mode: 'lrwxrwxrwx', link: 'app/main.sh' });
    expect(entry('dangling').link).toBe('/nowhere');
    expect(listed.every((listedEntry) => listedEntry.owner === '0/0')).toBe(true);

    const out = extract(tar);
    expect(readFileSync(join(out, 'app/main.sh'), 'utf8')).toBe('echo hi\n');
    expect(readFileSync(join(out, 'keep.log'), 'utf8')).toBe('wanted');
    rmSync(out, { recursive: true });
  });

  it('streams large files from disk and gives the same bytes for the same context', async () => {
    const dir = tempProject({ 'Dockerfile': 'FROM scratch\n' });
    const big = randomBytes(3 * 1024 * 1024 + 7);
    writeFileSync(join(dir, 'blob.bin'), big);
    writeFileSync(join(dir, 'small.bin'), randomBytes(70_000));
    const first = await build({ contextDir: dir });
    const second = await build({ contextDir: dir });
    expect(createHash('sha256').update(first.tar).digest('hex')).toBe(createHash('sha256').update(second.tar).digest('hex'));
    const out = extract(first.tar);
    expect(readFileSync(join(out, 'blob.bin')).equals(big)).toBe(true);
    expect(readFileSync(join(out, 'small.bin')).equals(readFileSync(join(dir, 'small.bin')))).toBe(true);
    rmSync(out, { recursive: true });
  });

  it('keeps the Dockerfile and .dockerignore when the patterns ignore them, entering ignored directories only for them', async () => {
    const dir = tempProject({
      '.dockerignore': '.dockerignore\nDockerfile\ndocker\n',
      'docker/app.Dockerfile': 'FROM tscompose/busybox:latest\n',
      'docker/other.txt': 'ignored with its directory',
      'Dockerfile': 'not this one',
      'src/a.txt': 'a',
    });
    const { context, listed } = await build({ contextDir: dir, dockerfile: 'docker/app.Dockerfile' });
    expect(context.dockerfile).toBe('docker/app.Dockerfile');
    expect(names(listed)).toEqual(['.dockerignore', 'docker/app.Dockerfile', 'src/', 'src/a.txt']);
  });

  it('adds an inline Dockerfile under a name made from its text, and names it in the .dockerignore it sends', async () => {
    const dir = tempProject({ 'hello.txt': 'hello', '.dockerignore': '*.tmp' });
    const text = 'FROM tscompose/busybox:latest\nCOPY hello.txt /\n';
    const { context, tar, listed } = await build({ contextDir: dir, dockerfileInline: text });
    expect(context.dockerfile).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    expect(names(listed)).toEqual(['.dockerignore', 'hello.txt', context.dockerfile]);
    expect(listed[2]!.mode).toBe('-rw-------');
    const out = extract(tar);
    expect(readFileSync(join(out, context.dockerfile), 'utf8')).toBe(text);
    expect(readFileSync(join(out, '.dockerignore'), 'utf8')).toBe(`*.tmp\n${context.dockerfile}\n`);
    rmSync(out, { recursive: true });

    const again = await createBuildContext({ contextDir: dir, dockerfileInline: text });
    expect(again.dockerfile).toBe(context.dockerfile);
    const other = await createBuildContext({ contextDir: dir, dockerfileInline: `${text}RUN true\n` });
    expect(other.dockerfile).not.toBe(context.dockerfile);
  });

  it('adds a Dockerfile from outside the context like an inline one, with a .dockerignore of its own when there is none', async () => {
    const root = tempProject({ 'ctx/hello.txt': 'hello', 'docker/Dockerfile': 'FROM tscompose/busybox:latest\n' });
    const { context, tar, listed } = await build({ contextDir: join(root, 'ctx'), dockerfile: '../docker/Dockerfile' });
    expect(context.dockerfile).toMatch(/^\.dockerfile\./);
    expect(names(listed)).toEqual(['hello.txt', context.dockerfile, '.dockerignore']);
    const out = extract(tar);
    expect(readFileSync(join(out, context.dockerfile), 'utf8')).toBe('FROM tscompose/busybox:latest\n');
    expect(readFileSync(join(out, '.dockerignore'), 'utf8')).toBe(`.dockerignore\n${context.dockerfile}\n`);
    rmSync(out, { recursive: true });

    const absolute = await createBuildContext({ contextDir: join(root, 'ctx'), dockerfile: join(root, 'docker/Dockerfile') });
    expect(absolute.dockerfile).toBe(context.dockerfile);
  });

  it('falls back to a lowercase dockerfile when no Dockerfile is named', async () => {
    const dir = tempProject({ dockerfile: 'FROM scratch\n' });
    expect((await createBuildContext({ contextDir: dir })).dockerfile).toBe('dockerfile');
  });

  it('stores names too long for ustar, split into prefix and name or in PAX headers, and long link targets', async () => {
    const deep = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(80)}.txt`;
    const wide = `${'w'.repeat(200)}.txt`;
    const target = `${'t'.repeat(120)}/target`;
    const dir = tempProject({ 'Dockerfile': 'FROM scratch\n', [deep]: 'deep', [wide]: 'wide', 'naïve-名前.txt': 'unicode' });
    symlinkSync(target, join(dir, 'long-link'));
    const { tar, listed } = await build({ contextDir: dir });
    expect(names(listed)).toEqual(expect.arrayContaining([deep, wide, 'naïve-名前.txt', 'long-link']));
    expect(listed.find((entry) => entry.name === 'long-link')!.link).toBe(target);
    // The deep path fits ustar's prefix and name fields; the wide name, the long target and the non-ASCII name need PAX headers.
    const text = tar.toString('latin1');
    expect(text).not.toContain(` path=${deep}\n`);
    expect(text).toContain(` path=${wide}\n`);
    expect(text).toContain(` linkpath=${target}\n`);
    const out = extract(tar);
    expect(readFileSync(join(out, deep), 'utf8')).toBe('deep');
    expect(readFileSync(join(out, wide), 'utf8')).toBe('wide');
    expect(readFileSync(join(out, 'naïve-名前.txt'), 'utf8')).toBe('unicode');
    rmSync(out, { recursive: true });
  });

  it('carries sizes from 8 GiB and times outside 1970–2038 in PAX records', async () => {
    const dir = tempProject({ 'Dockerfile': 'FROM scratch\n', 'a-old.txt': 'old', 'huge.bin': '' });
    const huge = 8 * 1024 ** 3 + 1;
    // Sparse: nothing is written, and only the first chunks, the headers before the big file's bytes, are read.
    truncateSync(join(dir, 'huge.bin'), huge);
    // A Date: Node takes a negative number of seconds for "now".
    const in1960 = new Date(-315619200 * 1000);
    utimesSync(join(dir, 'a-old.txt'), in1960, in1960);
    const context = await createBuildContext({ contextDir: dir });
    const chunks = (context.stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    // The first few kilobytes: every header up to the big file's first bytes.
    let headers = '';
    while (headers.length < 8192) headers += ((await chunks.next()).value as Buffer).toString('latin1');
    await chunks.return?.();
    expect(headers).toContain(`size=${huge}\n`);
    expect(headers).toContain('mtime=-315619200\n');
  });

  it('writes later names of a hard-linked file as links to the first', async () => {
    const dir = tempProject({ 'Dockerfile': 'FROM scratch\n', 'a.txt': 'shared' });
    linkSync(join(dir, 'a.txt'), join(dir, 'b.txt'));
    const { listed } = await build({ contextDir: dir });
    expect(listed.find((entry) => entry.name === 'b.txt')).toMatchObject({ mode: expect.stringMatching(/^h/), link: 'a.txt' });
  });

  it('names a missing context, a context that is a file, and a missing Dockerfile', async () => {
    const dir = tempProject({ 'file.txt': 'x', 'Dockerfile': 'FROM scratch\n' });
    await expect(createBuildContext({ contextDir: join(dir, 'nope') })).rejects.toThrow(new BuildContextError(`build context ${join(dir, 'nope')} does not exist`));
    await expect(createBuildContext({ contextDir: join(dir, 'file.txt') })).rejects.toThrow(`build context ${join(dir, 'file.txt')} is not a directory`);
    await expect(createBuildContext({ contextDir: dir, dockerfile: 'build/Dockerfile.prod' })).rejects.toThrow(`Dockerfile ${join(dir, 'build/Dockerfile.prod')} does not exist`);
    await expect(createBuildContext({ contextDir: join(dir, 'nope'), dockerfileInline: 'FROM scratch' })).rejects.toThrow(`build context ${join(dir, 'nope')} does not exist`);
    const empty = tempProject({ 'a.txt': 'a' });
    await expect(createBuildContext({ contextDir: empty })).rejects.toThrow(`Dockerfile ${join(empty, 'Dockerfile')} does not exist`);
  });

  it('refuses a malformed .dockerignore with its file and line', async () => {
    const dir = tempProject({ 'Dockerfile': 'FROM scratch\n', '.dockerignore': 'ok\n[oops\n' });
    const error = await createBuildContext({ contextDir: dir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DockerignoreSyntaxError);
    expect((error as DockerignoreSyntaxError).location).toMatchObject({ file: join(dir, '.dockerignore'), line: 2 });
  });

  it('names a file it may not read before sending anything', async () => {
    const dir = tempProject({ 'Dockerfile': 'FROM scratch\n', 'private.key': 'secret' });
    chmodSync(join(dir, 'private.key'), 0o000);
    const expected = `cannot read ${join(dir, 'private.key')} for the build context: permission denied`;
    if (process.getuid?.() !== 0) {
      await expect(createBuildContext({ contextDir: dir })).rejects.toThrow(expected);
      return;
    }
    // Root reads every file: the module runs bundled in a child process as nobody instead.
    const bundle = join(mkdtempSync(join(tmpdir(), 'tscompose-build-context-')), 'build-context.mjs');
    buildSync({ entryPoints: [join(ROOT, 'src/build-context/build-context.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent' });
    for (let path = dir; path !== tmpdir() && path !== '/'; path = dirname(path)) chmodSync(path, 0o755);
    chmodSync(dirname(bundle), 0o755);
    const script = `import(${JSON.stringify(bundle)}).then((m) => m.createBuildContext({ contextDir: ${JSON.stringify(dir)} })).then(() => console.log('no error'), (error) => console.log(error.message));`;
    const child = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], { encoding: 'utf8' });
    rmSync(dirname(bundle), { recursive: true, force: true });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe(expected);
  });

  it('fails the stream naming a file that went away after the walk', async () => {
    const dir = tempProject({ 'Dockerfile': 'FROM scratch\n', 'gone.txt': 'soon gone' });
    const context = await createBuildContext({ contextDir: dir });
    rmSync(join(dir, 'gone.txt'));
    await expect(collect(context.stream)).rejects.toThrow(`cannot read ${join(dir, 'gone.txt')}: ENOENT`);
  });
});
