import type { SourceLocation } from '../errors.js';

/** One key of a compose path: a mapping key or a sequence index. */
export type PathSegment = string | number;

/** A key written bare in a path: letters, digits, `_` and `-` (a loop: this runs for every key of every file). */
function isPlainKey(segment: string): boolean {
  if (segment.length === 0) return false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d)) return false;
  }
  return true;
}

/** Joins a path the way compose prints it: `services.web.ports[1]`, `labels["com.example.tier"]`. */
export function joinPath(parent: string, segment: PathSegment): string {
  if (typeof segment === 'number') return `${parent}[${segment}]`;
  if (!isPlainKey(segment)) return `${parent}[${JSON.stringify(segment)}]`;
  return parent === '' ? segment : `${parent}.${segment}`;
}

export function pathOf(segments: readonly PathSegment[]): string {
  let path = '';
  for (const segment of segments) path = joinPath(path, segment);
  return path;
}

/**
 * A compose file's text and where each of its values and keys stands in it,
 * so that any later stage can name file, line and column for a key path.
 */
export class SourceFile {
  private readonly valueOffsets = new Map<string, number>();
  private readonly keyOffsets = new Map<string, number>();
  private lines?: string[];
  private lineStarts?: number[];
  /** Fills the offsets when they are first asked for (see recordLazily). */
  private recorder?: () => void;
  /** `alias` calls made before the offsets were recorded, replayed after. */
  private pendingAliases: [from: string, to: string][] = [];

  constructor(
    /** Path as the user named it (absolute), or `-` for stdin. */
    readonly path: string,
    readonly text: string,
  ) {}

  /** Offsets are recorded by `recorder`, run on the first question about a path (has, locate). */
  recordLazily(recorder: () => void): void {
    this.recorder = recorder;
  }

  private recorded(): void {
    const recorder = this.recorder;
    if (!recorder) return;
    this.recorder = undefined;
    recorder();
    for (const [from, to] of this.pendingAliases) this.alias(from, to);
    this.pendingAliases = [];
  }

  recordValue(path: string, offset: number): void {
    this.valueOffsets.set(path, offset);
  }

  recordKey(path: string, offset: number): void {
    this.keyOffsets.set(path, offset);
  }

  /** Copies the recorded places of `from` (and everything below it) to `to`, for values that move. */
  alias(from: string, to: string): void {
    if (this.recorder) {
      this.pendingAliases.push([from, to]);
      return;
    }
    const value = this.valueOffsets.get(from);
    if (value !== undefined) this.valueOffsets.set(to, value);
    const key = this.keyOffsets.get(from);
    if (key !== undefined) this.keyOffsets.set(to, key);
  }

  has(path: string): boolean {
    this.recorded();
    return this.valueOffsets.has(path) || this.keyOffsets.has(path);
  }

  /** Where the value at `path` stands; falls back to its key, then to the nearest recorded parent. */
  locate(path: string, prefer: 'value' | 'key' = 'value', columnShift = 0): SourceLocation {
    this.recorded();
    const first = prefer === 'value' ? this.valueOffsets : this.keyOffsets;
    const second = prefer === 'value' ? this.keyOffsets : this.valueOffsets;
    let probe = path;
    for (;;) {
      const offset = first.get(probe) ?? second.get(probe);
      if (offset !== undefined) return this.at(offset + (probe === path ? columnShift : 0), path);
      const parent = parentPath(probe);
      if (parent === undefined) return this.at(0, path);
      probe = parent;
    }
  }

  /** The location of a character offset in the text. */
  at(offset: number, path?: string): SourceLocation {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    const line = low + 1;
    return { file: this.path, line, column: offset - starts[low]! + 1, path: path || undefined, excerpt: this.lineText(line) };
  }

  private lineText(line: number): string | undefined {
    this.lines ??= this.text.split(/\r?\n/);
    return this.lines[line - 1];
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** `services.web.ports[1]` → `services.web.ports`; the root has no parent. */
export function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  if (path.endsWith('"]')) return path.slice(0, path.lastIndexOf('["'));
  if (path.endsWith(']')) return path.slice(0, path.lastIndexOf('['));
  const dot = path.lastIndexOf('.');
  return dot >= 0 ? path.slice(0, dot) : '';
}
