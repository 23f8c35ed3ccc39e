import { TscomposeError, type SourceLocation } from '../errors.js';

/*
 * Our own matcher, not @balena/dockerignore (the maintained one, installed with dockerode): it
 * fails 7 of the 72 cases of test/unit/dockerignore.test.ts, which are moby/patternmatcher's —
 * it matches case-insensitively, takes regular-expression characters as such (and throws on
 * `a.|)$(}+{bc`), misreads `[*]` and `**file`, and does not keep a directory's exclusion for
 * what is under it when an exception names only the directory — and it cannot say which line
 * of the file a malformed pattern is on.
 */

/** A `.dockerignore` pattern that Docker would refuse. */
export class DockerignoreSyntaxError extends TscomposeError {}

/** One pattern of a `.dockerignore` as the docker CLI reads it, with the line it came from. */
export interface IgnoreRule {
  /** Cleaned, without a leading `/`; an exception keeps its `!`. */
  pattern: string;
  /** 1-based line in the file. */
  line: number;
  /** The line as written, for error messages. */
  text: string;
}

/** Per-pattern results of a directory, handed to its entries (patternmatcher's MatchInfo). */
export type ParentMatches = readonly boolean[];

/** What a context walk does with an entry: send it, leave it out, or enter an excluded directory without sending it. */
export type WalkAction = 'send' | 'skip' | 'enter';

// Go's unicode.IsSpace, which strings.TrimSpace uses: JavaScript's trim() also drops U+FEFF and keeps U+0085.
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]';
const GO_TRIM = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'gu');

/**
 * Reads a `.dockerignore` the way the docker CLI does (patternmatcher's ignorefile.ReadAll):
 * a BOM is dropped, lines starting with `#` are comments, whitespace is trimmed, blank lines
 * are skipped, patterns are cleaned like Go's filepath.Clean and lose a leading `/`.
 */
export function readDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (index === 0 && line.startsWith('\uFEFF')) line = line.slice(1);
    if (line.startsWith('#')) continue;
    let pattern = goTrimSpace(line);
    if (pattern === '') continue;
    const exception = pattern.startsWith('!');
    if (exception) pattern = goTrimSpace(pattern.slice(1));
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    rules.push({ pattern: exception ? `!${pattern}` : pattern, line: index + 1, text: line });
  }
  return rules;
}

/**
 * The patterns of a `.dockerignore`, matched as moby's patternmatcher matches them for the
 * docker CLI's context walk: the last pattern that matches a path decides, `!` patterns are
 * exceptions, and a pattern that matches a directory also matches everything under it.
 */
export class DockerignoreMatcher {
  private readonly patterns: IgnorePattern[] = [];
  /** Whether any pattern is an exception (`!`). */
  readonly hasExceptions: boolean;

  /** Patterns as readDockerignore returns them (or plain strings); `file` names the `.dockerignore` in errors. */
  constructor(rules: readonly (IgnoreRule | string)[], file = '.dockerignore') {
    for (const rule of rules) {
      const { pattern, line, text } = typeof rule === 'string' ? { pattern: rule, line: 0, text: rule } : rule;
      const location: SourceLocation | undefined = line > 0 ? { file, line, column: 1, excerpt: text } : undefined;
      const compiled = compileRule(pattern, location);
      if (compiled) this.patterns.push(compiled);
    }
    this.hasExceptions = this.patterns.some((pattern) => pattern.exception);
  }

  static parse(text: string, file?: string): DockerignoreMatcher {
    return new DockerignoreMatcher(readDockerignore(text), file);
  }

  /**
   * Whether `path` (relative, `/`-separated) is excluded, given the results of its parent
   * directory; without them its parent directories are matched too (MatchesUsingParentResults).
   */
  match(path: string, parent?: ParentMatches): { excluded: boolean; matches: ParentMatches } {
    let excluded = false;
    const matches = new Array<boolean>(this.patterns.length).fill(false);
    this.patterns.forEach((pattern, index) => {
      let match = parent?.[index] ?? false;
      if (!match) {
        // An exclusion cannot change an excluded path, nor an exception an included one.
        if (pattern.exception !== excluded) return;
        match = pattern.matches(path);
        if (!match && parent === undefined) match = parentDirectories(path).some((directory) => pattern.matches(directory));
      }
      matches[index] = match;
      if (match) excluded = !pattern.exception;
    });
    return { excluded, matches };
  }

  /**
   * What the docker CLI's walk does with an entry: an excluded directory is still entered
   * (without being sent) when an exception pattern starts with its path, since the exception
   * may name something inside it; otherwise it is skipped whole.
   */
  visit(path: string, isDirectory: boolean, parent?: ParentMatches): { action: WalkAction; matches: ParentMatches } {
    const { excluded, matches } = this.match(path, parent);
    if (!excluded) return { action: 'send', matches };
    const enter = isDirectory && this.patterns.some((pattern) => pattern.exception && `${pattern.source}/`.startsWith(`${path}/`));
    return { action: enter ? 'enter' : 'skip', matches };
  }

  /** Whether a walk from the context root would leave `path` out, its own pattern results or a skipped parent's. */
  excludes(path: string): boolean {
    const parts = path.split('/');
    let parent: ParentMatches | undefined;
    for (let depth = 1; depth <= parts.length; depth++) {
      const isLast = depth === parts.length;
      const { action, matches } = this.visit(parts.slice(0, depth).join('/'), !isLast, parent);
      if (action === 'skip') return true;
      if (isLast) return action !== 'send';
      parent = matches;
    }
    return false;
  }
}

/** `a/b/c` → `a`, `a/b`. */
function parentDirectories(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}

/** Go's path.Clean: one slash between elements, no `.`, `..` resolved where it can be. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') parts.push(part);
    else if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (!rooted) parts.push('..');
  }
  const joined = parts.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

function goTrimSpace(text: string): string {
  return text.replace(GO_TRIM, '');
}

/** How patternmatcher compares a path with a pattern: literal patterns skip the regular expression. */
type MatchKind = 'exact' | 'prefix' | 'suffix' | 'regexp';

interface IgnorePattern {
  /** The pattern without its `!`. */
  source: string;
  exception: boolean;
  matches(path: string): boolean;
}

function compileRule(rule: string, location: SourceLocation | undefined): IgnorePattern | undefined {
  let source = goTrimSpace(rule);
  if (source === '') return undefined;
  source = cleanPath(source);
  const exception = source.startsWith('!');
  const fail = (reason: string) => new DockerignoreSyntaxError(`invalid .dockerignore pattern "${rule}": ${reason}`, { location });
  if (exception) {
    if (source.length === 1) throw fail('"!" alone excepts nothing');
    source = source.slice(1);
  }
  const globError = checkGlobSyntax(source);
  if (globError) throw fail(globError);
  try {
    const { kind, regexp } = compileGlob(source, fail);
    return { source, exception, matches: matcherFor(kind, source, regexp) };
  } catch (error) {
    // patternmatcher compiles a pattern when it first compares a path with it: one never reached is never refused.
    return {
      source,
      exception,
      matches: () => {
        throw error;
      },
    };
  }
}

function matcherFor(kind: MatchKind, source: string, regexp: RegExp | undefined): (path: string) => boolean {
  switch (kind) {
    case 'exact':
      return (path) => path === source;
    case 'prefix': {
      const prefix = source.slice(0, -2);
      return (path) => path.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = source.slice(2);
      return (path) => path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
    }
    case 'regexp':
      return (path) => regexp!.test(path);
  }
}

/**
 * The syntax check patternmatcher gets from Go's filepath.Match: a `[` class needs at least one
 * character or range and its `]`, a range needs both ends, and a `\` needs a character after it.
 * Returns why the pattern is malformed, or undefined.
 */
function checkGlobSyntax(pattern: string): string | undefined {
  const chars = Array.from(pattern);
  let index = 0;
  // Go's getEsc: one class character, possibly escaped, that must not end the pattern.
  const classChar = (): string | undefined => {
    let char = chars[index];
    if (char === undefined || char === '-' || char === ']') return undefined;
    if (char === '\\') {
      index++;
      char = chars[index];
      if (char === undefined) return undefined;
    }
    index++;
    return index < chars.length ? char : undefined;
  };
  while (index < chars.length) {
    const char = chars[index++]!;
    if (char === '\\') {
      if (index >= chars.length) return 'it ends with a lone \\';
      index++;
    } else if (char === '[') {
      if (chars[index] === '^') index++;
      let ranges = 0;
      for (;;) {
        if (chars[index] === ']' && ranges > 0) {
          index++;
          break;
        }
        if (classChar() === undefined) return 'a [ character class is not closed, empty, or has a range without both ends';
        if (chars[index] === '-') {
          index++;
          if (classChar() === undefined) return 'a [ character class has a range without both ends';
        }
        ranges++;
      }
    }
  }
  return undefined;
}

/**
 * Characters that patternmatcher escapes before they go into a regular expression. It means to
 * escape `|`, `{` and `}` too, but its bitmap only holds characters below 64: `|` stays an
 * alternation and `{n,m}` a repetition, as in Docker.
 */
const REGEXP_LITERAL = new Set(['.', '+', '(', ')', '$']);
/** A repetition as Go's regexp reads one; any other `{` or `}` is a literal there. */
const REPETITION = /^\{\d+(?:,\d*)?\}/;
/** Characters a JavaScript regular expression under the `u` flag takes only escaped (`-` only in a class). */
const REGEXP_SYNTAX = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']);
/** Go's `.`: any character but a newline (JavaScript's also refuses \r, U+2028 and U+2029). */
const ANY = '[^\\n]';

function literal(char: string, inClass: boolean): string {
  return REGEXP_SYNTAX.has(char) || (inClass && char === '-') ? `\\${char}` : char;
}

/**
 * patternmatcher's compile: `*` is any run of characters but `/`, `?` one character but `/`,
 * `**` any number of directories (a `/` after it included), `[...]` a character class, `\x`
 * the character x. As in Docker, a pattern without these is compared as a string, and so is
 * one whose only wildcard is a `**` at its end (a prefix) or at its start (a suffix).
 */
function compileGlob(pattern: string, fail: (reason: string) => Error): { kind: MatchKind; regexp?: RegExp } {
  const chars = Array.from(pattern);
  let kind: MatchKind = 'exact';
  let source = '^';
  let index = 0;
  let inClass = false;
  let anchorLast = true;
  // checkGlobSyntax has made sure that a \ has a character after it and that every class is closed.
  const escaped = (char: string, insideClass: boolean): string => {
    // Go's regexp reads \ before a letter, a digit or a non-ASCII character as an escape sequence of its own.
    if (!/^[\0-\x7F]$/u.test(char) || /^[A-Za-z0-9]$/.test(char)) throw fail(`\\${char} is a regular expression escape in Docker, not the character ${char}`);
    return literal(char, insideClass);
  };
  for (let step = 0; index < chars.length; step++) {
    const char = chars[index++]!;
    const afterAnchor = anchorLast;
    anchorLast = false;
    if (inClass) {
      // Docker copies a class into its regular expression unread, where a `*` or `?` inside turns into
      // `[^/]*` or `[^/]` and breaks the class; here they stand for themselves, as Go's filepath.Match reads them.
      if (char === ']') inClass = false;
      if (char === ']' || char === '-') source += char;
      else source += char === '\\' ? escaped(chars[index++]!, true) : literal(char, true);
    } else if (char === '*') {
      if (chars[index] === '*') {
        index++;
        if (chars[index] === '/') index++;
        if (index >= chars.length) {
          if (kind === 'exact') kind = 'prefix';
          else {
            source += `${ANY}*`;
            kind = 'regexp';
          }
        } else {
          source += `(?:${ANY}*/)?`;
          kind = 'regexp';
        }
        if (step === 0) kind = 'suffix';
      } else {
        source += '[^/]*';
        kind = 'regexp';
      }
    } else if (char === '?') {
      source += '[^/]';
      kind = 'regexp';
    } else if (char === '\\') {
      source += escaped(chars[index++]!, false);
      kind = 'regexp';
    } else if (char === '[') {
      source += '[';
      if (chars[index] === '^') source += chars[index++];
      kind = 'regexp';
      inClass = true;
    } else if (char === ']') {
      // Outside a class Go's regexp reads it as itself; patternmatcher still stops comparing the pattern as a string.
      source += literal(char, false);
      kind = 'regexp';
    } else if (REGEXP_LITERAL.has(char)) {
      source += literal(char, false);
    } else if (char === '{' || char === '}') {
      const repetition = char === '{' ? REPETITION.exec(chars.slice(index - 1).join(''))?.[0] : undefined;
      if (repetition === undefined) source += literal(char, false);
      else {
        if (repetition.match(/\d+/g)!.some((count) => Number(count) > 1000)) throw fail(`invalid repeat count ${repetition}`);
        // Go repeats a `^` like anything else; JavaScript only repeats it in a group.
        if (afterAnchor) source = `${source.slice(0, -1)}(?:^)`;
        source += repetition;
        index += repetition.length - 1;
      }
    } else {
      // Includes `^` and `|`, which Docker leaves unescaped: an anchor and an alternation.
      source += char;
      anchorLast = char === '^';
    }
  }
  if (kind !== 'regexp') return { kind };
  try {
    return { kind, regexp: new RegExp(`${source}$`, 'u') };
  } catch (error) {
    throw fail((error as Error).message.replace(/^Invalid regular expression: \/.*\/u?: /, ''));
  }
}
