import { describe, expect, it } from 'vitest';
import { DockerignoreMatcher, DockerignoreSyntaxError, readDockerignore, type ParentMatches } from '../../src/build-context/dockerignore.js';

/** [lines of a .dockerignore, path, excluded]: cases of moby/patternmatcher's own tests, and of the walk the docker CLI does. */
const cases: [string[], string, boolean][] = [
  // `*` and `?` stop at `/`; a match on a directory covers what is under it.
  [['*'], 'fileutils.go', true],
  [['*.go'], 'fileutils.go', true],
  [['*.go'], 'cmd/main.go', false],
  [['*c'], 'abc', true],
  [['a*'], 'ab/c', true],
  [['a*/b'], 'abc/b', true],
  [['a*/b'], 'a/c/b', false],
  [['a*b*c*d*e*/f'], 'axbxcxdxexxx/f', true],
  [['a*b*c*d*e*/f'], 'axbxcxdxe/xxx/f', false],
  [['a*b?c*x'], 'abxbbxdbxebxczzx', true],
  [['a*b?c*x'], 'abxbbxdbxebxczzy', false],
  [['a?b'], 'a☺b', true],
  [['a???b'], 'a☺b', false],
  [['a?b'], 'a/b', false],
  [['a*b'], 'a/b', false],
  [['abc?def'], 'abcZdef', true],
  [['abc?def'], 'abcdef', false],
  [['.*'], '.foo', true],
  [['.*'], 'foo', false],
  // Regular expression characters are literal.
  [['abc.def'], 'abcZdef', false],
  [['abc.def'], 'abc.def', true],
  [['a(b)c/def'], 'a(b)c/def', true],
  [['a.|)$(}+{bc'], 'a.|)$(}+{bc', true],
  [['dist/*.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
  // Character classes and escapes.
  [['ab[c]'], 'abc', true],
  [['ab[b-d]'], 'abc', true],
  [['ab[e-g]'], 'abc', false],
  [['ab[^c]'], 'abc', false],
  [['ab[^e-g]'], 'abc', true],
  [['a[^a]b'], 'a☺b', true],
  [['[a-ζ]*'], 'α', true],
  [['*[a-ζ]'], 'A', false],
  [['[\\]a]'], ']', true],
  [['[\\-x]'], '-', true],
  [['[x\\-]'], 'z', false],
  [['[*]'], '*', true],
  [['a\\*b'], 'a*b', true],
  [['a\\*b'], 'ab', false],
  [['a\\\\'], 'a\\', true],
  [['\\#notes'], '#notes', true],
  // `**`: any number of directories, none included.
  [['**'], 'dir/file', true],
  [['**/**'], 'dir/file', true],
  [['dir/**'], 'dir/dir2/file', true],
  [['abc/**'], 'abc', false],
  [['abc/**'], 'abc/def/ghi', true],
  [['**/dir'], 'dir', true],
  [['**/dir'], 'dir/file', true],
  [['**/dir2/*'], 'dir/dir2/file', true],
  [['**/dir2/**'], 'dir/dir2/dir3/file', true],
  [['**/file*.txt'], 'dir/dir/file.txt', true],
  [['**/**/*.txt2'], 'dir/dir/file.txt', false],
  [['**/*.txt'], 'file.txt', true],
  [['a**/*.txt'], 'a/dir/dir/file.txt', true],
  [['a/*.txt'], 'a/dir/file.txt', false],
  [['**/.foo'], 'bar.foo', false],
  [['**/foo/bar'], 'dir/dir2/foo/bar', true],
  // Docker compares `**name` as a plain suffix, and reads `a**b` as a, any directories, b.
  [['**file'], 'dir/myfile', true],
  [['a**b'], 'axb', false],
  [['a**b'], 'ax/b', true],
  // Cleaning: `./`, `//`, a trailing `/` and a leading `/` do not matter.
  [['./docs//'], 'docs/README.md', true],
  [['/docs'], 'docs', true],
  [['docs/../src'], 'src/main.go', true],
  // Exceptions: the last matching pattern wins.
  [['*.go', '!fileutils.go'], 'fileutils.go', false],
  [['!fileutils.go', '*.go'], 'fileutils.go', true],
  [['docs', '!docs/README.md'], 'docs/README.md', false],
  [['docs/', '!docs/README.md'], 'docs/other.md', true],
  [['docs/*', '!docs/README.md'], 'docs/README.md', false],
  [['**', '!util/docker/web'], 'util/docker/web/foo', false],
  [['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo', true],
  [['**', '!dist/*.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', false],
  // The walk carries each pattern's result down from the directory: an exception on a parent does not reach back.
  [['a/b', '!a'], 'a/b/c', true],
  // An excluded directory whose exception cannot be told from its path is skipped whole.
  [['docs', '!*/README.md'], 'docs/README.md', true],
];

describe('.dockerignore matching', () => {
  it.each(cases)('%j on %s excludes it: %s', (patterns, path, excluded) => {
    expect(DockerignoreMatcher.parse(patterns.join('\n')).excludes(path)).toBe(excluded);
  });

  it('reads the file as the docker CLI does: comments, blank lines, whitespace, cleaning, a leading /', () => {
    const text = '\uFEFFtest1\r\n/test2\n/a/file/here\n\n  lastfile  \n# this is a comment\n  # not one\n! /inverted/abs/path\n!\n! \n!../up\n';
    expect(readDockerignore(text).map((rule) => rule.pattern)).toEqual(['test1', 'test2', 'a/file/here', 'lastfile', '# not one', '!inverted/abs/path', '!', '!', '!../up']);
    expect(readDockerignore(text).map((rule) => rule.line)).toEqual([1, 2, 3, 5, 7, 8, 9, 10, 11]);
  });

  it('enters an excluded directory only when an exception names a path under it', () => {
    const tree = ['docs', 'docs/README.md', 'docs/api', 'docs/api/index.md', 'docs/draft.md', 'src', 'src/main.go', 'vendor', 'vendor/lib.go'];
    expect(walk(DockerignoreMatcher.parse('docs\nvendor\n!docs/README.md\n'), tree)).toEqual(['docs/README.md', 'src', 'src/main.go']);
    expect(walk(DockerignoreMatcher.parse('docs\n!docs/api\n'), tree)).toEqual(['docs/api', 'docs/api/index.md', 'src', 'src/main.go', 'vendor', 'vendor/lib.go']);
    expect(walk(DockerignoreMatcher.parse('*\n!src/main.go\n'), tree)).toEqual(['src/main.go']);
  });

  it('refuses the patterns Docker refuses, naming the file and line', () => {
    for (const pattern of ['[]a]', '[-]', '[x-]', '[-x]', '\\', '[a-b-c]', '[', '[^', '[^bc', 'a[', '!']) {
      expect(() => new DockerignoreMatcher([pattern]), pattern).toThrow(DockerignoreSyntaxError);
    }
    // Docker makes the regular expression when a path first reaches the pattern.
    expect(() => new DockerignoreMatcher(['[z-a]']).excludes('x')).toThrow(/Range out of order/);
    expect(new DockerignoreMatcher(['*', '[z-a]']).excludes('x')).toBe(true);
    try {
      DockerignoreMatcher.parse('ok\n\nsrc/[oops\n', '/ctx/.dockerignore');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DockerignoreSyntaxError);
      expect((error as DockerignoreSyntaxError).message).toContain('src/[oops');
      expect((error as DockerignoreSyntaxError).location).toMatchObject({ file: '/ctx/.dockerignore', line: 3, excerpt: 'src/[oops' });
    }
  });

  it('refuses a backslash before a letter, which Docker reads as a regular expression escape', () => {
    expect(() => new DockerignoreMatcher(['\\d.txt']).excludes('1.txt')).toThrow(/regular expression escape/);
  });
});

/** The paths a context walk sends from a tree listed parents first, deciding as the build context does. */
function walk(matcher: DockerignoreMatcher, tree: string[]): string[] {
  const isDirectory = (path: string) => tree.some((other) => other.startsWith(`${path}/`));
  const sent: string[] = [];
  const visit = (dir: string, parent: ParentMatches | undefined) => {
    for (const path of tree.filter((other) => other.slice(0, other.lastIndexOf('/') + 1) === (dir === '' ? '' : `${dir}/`))) {
      const { action, matches } = matcher.visit(path, isDirectory(path), parent);
      if (action === 'send') sent.push(path);
      if (action !== 'skip' && isDirectory(path)) visit(path, matches);
    }
  };
  visit('', undefined);
  return sent;
}
