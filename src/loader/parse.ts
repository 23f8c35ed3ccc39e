import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';
import type { YAMLError } from 'yaml';
import { ComposeErrors, InterpolationError, YamlSyntaxError, type SourceLocation, type TscomposeError } from '../errors.js';
import { lazyPackage } from '../lazy-package.js';
import { castInterpolated } from './cast.js';
import { interpolate, InterpolationFailure, type Environment } from './interpolate.js';
import { joinPath, pathOf, type PathSegment, SourceFile } from './source-file.js';

/** `!reset` in an override file: drop what the files before said for this key. */
export const RESET: unique symbol = Symbol('!reset');

/** `!override` in an override file: replace what the files before said instead of merging into it. */
export class Override {
  constructor(readonly value: unknown) {}
}

/** Something compose would accept but the user likely wants to know about. */
export interface LoaderWarning {
  message: string;
  location?: SourceLocation;
}

export interface ParsedDocument {
  /** The document's top-level mapping as plain data, interpolated, with `!reset`/`!override` markers. */
  data: Record<string, unknown>;
  /** Whether any `!reset`/`!override` markers occur (so later stages can skip looking for them). */
  hasMergeTags: boolean;
}

export interface ParsedFile {
  source: SourceFile;
  /** The file's YAML documents that are not empty, in order: compose-go merges them as if they were files. */
  documents: ParsedDocument[];
}

export interface ParseOptions {
  /** Variables for `${…}`; without it nothing is interpolated. */
  environment?: Environment;
  warnings?: LoaderWarning[];
}

/**
 * Values that may be reached through aliases in one file. Aliases of aliases grow exponentially
 * (a "billion laughs" file of a few hundred bytes expands to millions of values); past this
 * many the file is refused before it exhausts memory. Real files stay far below it.
 */
export const MAX_ALIASED_VALUES = 100_000;

/** Mappings and lists nested deeper than this are refused (no compose key nests past a dozen levels). */
export const MAX_NESTING = 200;

/**
 * Services one file may define. A project of many files may have more; what bounds the memory of
 * reading a file is its size (MAX_COMPOSE_FILE_BYTES) and this: 2 MiB of `sN: {image: x}` are
 * 100,000 services, each of which the loader fills with its defaults.
 */
export const MAX_SERVICES_PER_FILE = 10_000;

/**
 * Parses one compose file: YAML with anchors, aliases and `<<` merge keys, interpolated string by
 * string so that every value keeps the line and column it was written at.
 * Reports every syntax and interpolation error of the file together.
 *
 * The text is read as a flat stream of events with offsets (js-yaml's event parser), from which
 * the data is built directly: no document of nodes is made, which took most of the time and
 * memory of loading a large file. A file the event parser refuses is parsed again by the `yaml`
 * package for its errors, whose wording and places users of go-yaml and PyYAML recognise.
 */
export function parseComposeFile(source: SourceFile, options: ParseOptions = {}): ParsedFile {
  const reader = new EventReader(source, eventsOf(source), options, false);
  const errors: TscomposeError[] = [];
  const parsed: ParsedDocument[] = [];
  reader.forEachDocument((root) => {
    const event = reader.events[root]!;
    if (event.type === EVENT_ID.SCALAR && event.tagStart < 0 && reader.isEmptyScalar(event)) return;
    if (event.type !== EVENT_ID.MAPPING) {
      errors.push(new YamlSyntaxError('the top level of a compose file must be a mapping (services:, networks:, …)', { location: source.at(reader.startOf(root)) }));
      return;
    }
    const data = reader.readDocument(root) as Record<string, unknown>;
    parsed.push({ data, hasMergeTags: reader.sawMergeTag });
  });
  errors.unshift(...reader.errors);
  if (errors.length > 0) throw errorsOf(errors);
  recordPlacesLazily(source);
  return { source, documents: parsed };
}

/**
 * Where each key and value stands is needed only to report something: the file is read again
 * for it, on the first question, instead of keeping a map of every path of every file. (A
 * function of its own, so that the closure holds the source only, not the events read above.)
 */
function recordPlacesLazily(source: SourceFile): void {
  source.recordLazily(() => {
    const recorder = new EventReader(source, eventsOf(source), {}, true);
    recorder.forEachDocument((root) => {
      if (recorder.events[root]!.type === EVENT_ID.MAPPING) recorder.readDocument(root);
    });
  });
}

/** The file's events; syntax errors as the `yaml` package reports them. */
function eventsOf(source: SourceFile): Event[] {
  try {
    // Nesting is checked (and reported with its path) while reading; the parser's own bound only guards its stack.
    return parseEvents(source.text, { maxDepth: MAX_NESTING * 5 });
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    throw controlCharacterError(source) ?? deepFlowNestingError(source) ?? syntaxErrors(source) ?? eventParserError(source, error);
  }
}

/**
 * Flow collections opened far deeper than any compose file nests, before the `yaml` package is
 * asked for its errors: its parser holds every token of such text and takes hundreds of
 * megabytes for it.
 */
function deepFlowNestingError(source: SourceFile): TscomposeError | undefined {
  const deep = deepFlowNesting(source.text);
  return deep === undefined ? undefined : new YamlSyntaxError(`values nest too deeply to be read (more than ${MAX_NESTING} levels)`, { location: source.at(deep) });
}

/** The `yaml` package's syntax errors of the text, or undefined when it finds none. */
function syntaxErrors(source: SourceFile): TscomposeError | undefined {
  const errors: TscomposeError[] = [];
  for (const doc of lazyPackage('yaml').parseAllDocuments(source.text, { uniqueKeys: false, merge: false, prettyErrors: false })) {
    const indentation = doc.errors.filter((error) => error.code === 'MULTILINE_IMPLICIT_KEY');
    for (const error of doc.errors) {
      // A key indented too far continues the value above it; both errors then point there. Report the line of the key once.
      if (indentation.length > 0 && error.code === 'BLOCK_AS_IMPLICIT_KEY' && indentation.some((other) => other.pos[0] === error.pos[0])) continue;
      if (error.code === 'MULTILINE_IMPLICIT_KEY') errors.push(overIndentedKey(source, error));
      else if (error.code === 'BAD_INDENT') errors.push(new YamlSyntaxError(firstLine(error.message), { location: source.at(firstNonBlankOfLine(source.text, error.pos[0])), hint: INDENT_HINT }));
      else errors.push(yamlError(source, error));
    }
  }
  return errors.length > 0 ? errorsOf(errors) : undefined;
}

/** Characters YAML does not allow in a stream: C0 and C1 controls but tab, line feed, carriage return and NEL; lone surrogates; U+FFFE and U+FFFF. */
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/**
 * The first character YAML does not allow, refused as go-yaml refuses it ("control characters are
 * not allowed"): compose v2 never reads such a file, and a raw escape sequence in a value could
 * retitle or clear the terminal of whoever reads it back.
 */
function controlCharacterError(source: SourceFile): TscomposeError | undefined {
  const match = NON_PRINTABLE.exec(source.text);
  if (!match) return undefined;
  const offset = match.index + match[0].length - 1;
  const code = source.text.charCodeAt(offset).toString(16).toUpperCase().padStart(4, '0');
  return new YamlSyntaxError(`a control character (U+${code}) is not allowed in a compose file`, {
    location: source.at(offset),
    hint: `YAML allows tab, line feed and carriage return only; in a double-quoted string, write the character as an escape ("\\u${code}")`,
  });
}

/** What the event parser said, for text the `yaml` package accepts. */
function eventParserError(source: SourceFile, error: Error): TscomposeError {
  const position = (error as { mark?: { position?: number } }).mark?.position ?? 0;
  const message = /Maximum call stack size exceeded|maximum depth/i.test(error.message)
    ? `values nest too deeply to be read (more than ${MAX_NESTING} levels)`
    : firstLine(error.message).replace(/ \(\d+:\d+\)$/, '');
  return new YamlSyntaxError(message, { location: source.at(position) });
}

/** Where `[` and `{` opened and not yet closed pass five times MAX_NESTING; brackets inside scalars are counted too, hence the margin. */
function deepFlowNesting(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_NESTING * 5) return i;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return undefined;
}

function errorsOf(errors: TscomposeError[]): TscomposeError {
  return errors.length === 1 ? errors[0]! : new ComposeErrors(errors);
}

function yamlError(source: SourceFile, error: YAMLError): TscomposeError {
  // The yaml package turns its own stack overflow on deep nesting into an error at the place it gave up.
  const message = /Maximum call stack size exceeded/.test(error.message) ? `values nest too deeply to be read (more than ${MAX_NESTING} levels)` : firstLine(error.message);
  return new YamlSyntaxError(message, { location: source.at(error.pos[0]) });
}

const INDENT_HINT = 'keys of one mapping start at the same column: align this line with the key above it';

/** The error of a key indented deeper than its siblings, at that key, as go-yaml and PyYAML report it. */
function overIndentedKey(source: SourceFile, error: YAMLError): TscomposeError {
  return new YamlSyntaxError('a key here is indented differently from the keys above it, so it cannot start a new entry', {
    location: source.at(firstNonBlankOfLine(source.text, error.pos[1] - 1)),
    hint: INDENT_HINT,
  });
}

/** Where the content of the line holding `offset` starts; a comment or blank line gives way to the next line with content. */
function firstNonBlankOfLine(text: string, offset: number): number {
  let lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  for (;;) {
    const start = lineStart + (/^[ \t]*/.exec(text.slice(lineStart, lineStart + 200))?.[0].length ?? 0);
    const next = text.indexOf('\n', start);
    if (next < 0 || (text[start] !== '#' && text[start] !== '\n' && text[start] !== '\r')) return start;
    lineStart = next + 1;
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** The YAML 1.2 core schema's tags, as they are written in short form and in full. */
const YAML_TAG = 'tag:yaml.org,2002:';
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq']);

/**
 * A plain scalar's value under the YAML 1.2 core schema, as the `yaml` package resolves it
 * (null, booleans, decimal, 0o octal and 0x hex integers, floats, .inf and .nan), and as go-yaml
 * reads a plain 0440: octal, Go's base-0 integers, as file modes are meant.
 */
export function resolvePlainScalar(text: string): unknown {
  if (text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null;
  const first = text.charCodeAt(0);
  // Everything but null, booleans and numbers starts with another character: most values stop here.
  if (!(first === 0x74 || first === 0x54 || first === 0x66 || first === 0x46 || first === 0x2e || first === 0x2b || first === 0x2d || (first >= 0x30 && first <= 0x39))) return text;
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  if (/^[-+]?[0-9]+$/.test(text)) return /^[-+]?0[0-7]+$/.test(text) ? parseInt(text, 8) : parseInt(text, 10);
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text)) return parseFloat(text);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (text === '.nan' || text === '.NaN' || text === '.NAN') return NaN;
  return text;
}

/** A scalar under an explicit core tag (`!!int 8`); undefined when its text is not of that type. */
function resolveTaggedScalar(tag: string, text: string): unknown {
  if (tag === 'str') return text;
  if (tag === 'map' || tag === 'seq') return undefined;
  const value = resolvePlainScalar(text);
  const type = value === null ? 'null' : typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? (Number.isInteger(value) && !/[.eE]/.test(text) ? 'int' : 'float') : 'str';
  if (type === tag || (tag === 'float' && type === 'int')) return tag === 'float' ? Number(value) : value;
  return undefined;
}

const { SEQUENCE, MAPPING, SCALAR, ALIAS, POP, DOCUMENT } = EVENT_ID;

/**
 * Builds plain data from the event stream: aliases expanded (counted, so that an alias bomb is
 * refused), `<<` merge keys applied, `!reset`/`!override` turned into markers, every string
 * interpolated where it stands, and the offset of every key and value recorded in the SourceFile.
 */
class EventReader {
  readonly errors: TscomposeError[] = [];
  sawMergeTag = false;
  private readonly text: string;
  /** Each alias event's anchored node (an event index), or -1: found in one pass, before anything is read. */
  private readonly aliasTargets = new Map<number, number>();
  /** Anchored nodes being read: an alias to one of them would expand forever. */
  private readonly open = new Set<number>();
  /** The alias being expanded at the top, counted values reached through aliases. */
  private outerAlias = -1;
  private aliasedValues = 0;
  /** Index of the next event to read. */
  private next = 0;

  constructor(
    private readonly source: SourceFile,
    readonly events: Event[],
    private readonly options: ParseOptions,
    /** Recording where every key and value stands (and building data only to find the same paths), or building the data. */
    private readonly recording: boolean,
  ) {
    this.text = source.text;
    let anchors = new Map<string, number>();
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      if (event.type === DOCUMENT) anchors = new Map();
      else if (event.type === ALIAS) this.aliasTargets.set(i, anchors.get(this.text.slice(event.anchorStart, event.anchorEnd)) ?? -1);
      else if (event.type !== POP && event.anchorStart >= 0) anchors.set(this.text.slice(event.anchorStart, event.anchorEnd), i);
    }
  }

  /** Calls `read` with the index of each document's root node. */
  forEachDocument(read: (root: number) => void): void {
    // A document: DOCUMENT, its root node, POP.
    for (let i = 0; i < this.events.length; ) {
      const root = i + 1;
      if (root >= this.events.length || this.events[root]!.type === POP) {
        i = root + 1;
        continue;
      }
      read(root);
      i = this.skip(root) + 1;
    }
  }

  /** The key path being read, as it is printed: kept up to date only while recording, else made when a message needs it. */
  private where(segments: readonly PathSegment[], path: string): string {
    return this.recording ? path : pathOf(segments);
  }

  private child(path: string, segment: PathSegment): string {
    return this.recording ? joinPath(path, segment) : '';
  }

  /** The index after the node that starts at `index`. */
  skip(index: number): number {
    let depth = 0;
    for (let i = index; i < this.events.length; i++) {
      const type = this.events[i]!.type;
      if (type === SEQUENCE || type === MAPPING) depth++;
      else if (type === POP && --depth <= 0) return i + 1;
      else if (depth === 0) return i + 1;
    }
    return this.events.length;
  }

  isEmptyScalar(event: ScalarEvent): boolean {
    return event.style === SCALAR_STYLE.PLAIN && resolvePlainScalar(getScalarValue(this.text, event)) === null;
  }

  /** Where the node at `index` starts, as the `yaml` package places it: a quote or block indicator included, anchor and tag not. */
  startOf(index: number): number {
    const event = this.events[index]!;
    if (event.type === ALIAS) return event.anchorStart - 1;
    if (event.type === SEQUENCE || event.type === MAPPING) return event.start;
    if (event.type !== SCALAR) return 0;
    if (event.valueStart < 0) return -1;
    switch (event.style) {
      case SCALAR_STYLE.SINGLE_QUOTED:
      case SCALAR_STYLE.DOUBLE_QUOTED:
        return event.valueStart - 1;
      case SCALAR_STYLE.LITERAL_BLOCK:
      case SCALAR_STYLE.FOLDED_BLOCK:
        return blockHeader(this.text, event.valueStart, Math.max(event.tagEnd, event.anchorEnd));
      default:
        return event.valueStart;
    }
  }

  readDocument(root: number): unknown {
    this.next = root;
    return this.read([], '');
  }

  /** Reads the node at `this.next` and moves past it. */
  private read(segments: PathSegment[], path: string): unknown {
    const index = this.next;
    const event = this.events[index]!;
    if (event.type === ALIAS) {
      this.next = index + 1;
      if (this.recording) this.source.recordValue(path, this.startOf(index));
      return this.throughAlias(index, segments, path, () => this.read(segments, path)) ?? null;
    }
    if (this.outerAlias >= 0 && ++this.aliasedValues > MAX_ALIASED_VALUES) {
      throw new YamlSyntaxError(`aliases expand to more than ${MAX_ALIASED_VALUES} values; refused as an alias bomb`, {
        location: this.source.at(this.startOf(this.outerAlias)),
        hint: 'an alias of aliases grows exponentially: repeat the values, or use fewer levels of aliases',
      });
    }
    if (segments.length > MAX_NESTING) {
      throw new YamlSyntaxError(`values nest more than ${MAX_NESTING} levels deep`, { location: this.source.at(Math.max(this.startOf(index), 0), this.where(segments, path)) });
    }
    if (this.recording) {
      const start = this.startOf(index);
      if (start >= 0) this.source.recordValue(path, start);
    }
    const anchored = event.type !== POP && event.type !== DOCUMENT && event.anchorStart >= 0;
    if (anchored) this.open.add(index);
    try {
      const tag = event.type !== POP && event.type !== DOCUMENT && event.tagStart >= 0 ? this.text.slice(event.tagStart, event.tagEnd) : undefined;
      if (tag === '!reset') {
        this.sawMergeTag = true;
        this.next = this.skip(index);
        return RESET;
      }
      const value = this.readUntagged(index, tag === '!override' ? undefined : tag, segments, path);
      if (tag === '!override') {
        this.sawMergeTag = true;
        return new Override(value);
      }
      return value;
    } finally {
      if (anchored) this.open.delete(index);
    }
  }

  /** Reads what an alias points to, counting what it expands to; undefined for an alias without anchor. */
  private throughAlias<T>(alias: number, segments: readonly PathSegment[], path: string, readTarget: () => T): T | undefined {
    const target = this.aliasTargets.get(alias) ?? -1;
    const event = this.events[alias]!;
    const name = event.type === ALIAS ? this.text.slice(event.anchorStart, event.anchorEnd) : '';
    if (target < 0) {
      this.errors.push(new YamlSyntaxError(`alias *${name} has no anchor &${name} before it`, { location: this.source.at(this.startOf(alias), this.where(segments, path)) }));
      return undefined;
    }
    if (this.open.has(target)) {
      throw new YamlSyntaxError(`alias *${name} refers to a value that contains it`, { location: this.source.at(this.startOf(alias), this.where(segments, path)), hint: 'an alias can repeat a value, not the value it stands in' });
    }
    const outermost = this.outerAlias < 0;
    if (outermost) this.outerAlias = alias;
    const resume = this.next;
    this.next = target;
    try {
      return readTarget();
    } finally {
      this.next = resume;
      if (outermost) this.outerAlias = -1;
    }
  }

  private readUntagged(index: number, tag: string | undefined, segments: PathSegment[], path: string): unknown {
    const event = this.events[index]!;
    const coreTag = tag === undefined ? undefined : coreTagName(tag);
    if (tag !== undefined && coreTag === undefined && tag !== '!') this.warnUnresolvedTag(index, tag);
    if (event.type === MAPPING) {
      this.next = index + 1;
      return this.readMap(segments, path);
    }
    if (event.type === SEQUENCE) {
      const items: unknown[] = [];
      this.next = index + 1;
      while (this.events[this.next]!.type !== POP) {
        const position = items.length;
        segments.push(position);
        items.push(this.read(segments, this.child(path, position)));
        segments.pop();
      }
      this.next++;
      return items;
    }
    this.next = index + 1;
    if (event.type !== SCALAR) return null;
    const text = getScalarValue(this.text, event);
    let value: unknown;
    if (tag !== undefined) {
      value = coreTag === undefined ? text : resolveTaggedScalar(coreTag, text);
      if (value === undefined) {
        this.warnUnresolvedTag(index, `${YAML_TAG}${coreTag}`);
        value = text;
      }
    } else value = event.style === SCALAR_STYLE.PLAIN ? resolvePlainScalar(text) : text;
    if (typeof value === 'string' && this.options.environment && value.includes('$')) return this.interpolateScalar(index, value, segments);
    return value;
  }

  private warnUnresolvedTag(index: number, tag: string): void {
    const event = this.events[index]!;
    const at = event.type !== POP && event.type !== DOCUMENT && event.type !== ALIAS ? event.tagStart : 0;
    this.options.warnings?.push({ message: `Unresolved tag: ${tag}`, location: this.source.at(at) });
  }

  /** The pairs of the mapping whose events start at `this.next`, up to its POP. */
  private readMap(segments: PathSegment[], path: string): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const mergeSources: number[] = [];
    const services = segments.length === 1 && segments[0] === 'services';
    let count = 0;
    while (this.events[this.next]!.type !== POP) {
      if (services && ++count > MAX_SERVICES_PER_FILE) {
        throw new YamlSyntaxError(`more than ${MAX_SERVICES_PER_FILE.toLocaleString('en')} services in one file`, {
          location: this.source.at(Math.max(this.startOf(this.next), 0), 'services'),
          hint: 'split the project over several files (-f a.yaml -f b.yaml, or include:)',
        });
      }
      const keyIndex = this.next;
      const keyEvent = this.events[keyIndex]!;
      let key: unknown;
      if (keyEvent.type === SCALAR) {
        const text = getScalarValue(this.text, keyEvent);
        if (text === '<<' && keyEvent.style === SCALAR_STYLE.PLAIN && keyEvent.tagStart < 0) {
          mergeSources.push(this.skip(keyIndex));
          this.next = this.skip(this.skip(keyIndex));
          continue;
        }
        key = keyEvent.style === SCALAR_STYLE.PLAIN && keyEvent.tagStart < 0 ? resolvePlainScalar(text) : text;
        this.next = keyIndex + 1;
      } else {
        this.next = this.skip(keyIndex);
        key = null;
        const where = this.where(segments, path);
        this.errors.push(new YamlSyntaxError(`a key in ${where || 'the top level'} is a ${keyEvent.type === MAPPING ? 'mapping' : keyEvent.type === SEQUENCE ? 'list' : 'alias'}; keys are names`, {
          location: this.source.at(Math.max(this.startOf(keyIndex), 0), where),
        }));
      }
      const name = key === null || key === undefined ? '' : String(key);
      const childPath = this.child(path, name);
      if (typeof key === 'number' || typeof key === 'boolean') {
        // As compose-go: `123:` is a number to YAML, and compose names are strings.
        const where = this.where(segments, path);
        this.errors.push(new YamlSyntaxError(`non-string key in ${where || 'the top level'}: ${name}`, {
          location: this.source.at(this.startOf(keyIndex), joinPath(where, name)),
          hint: `quote it if it is meant as a name: "${name}":`,
        }));
      }
      if (name === '__proto__') {
        // To JavaScript, assigning this key sets an object's prototype: the value would be lost, or worse, seen under every key.
        this.errors.push(new YamlSyntaxError(`a key named "__proto__" (in ${this.where(segments, path) || 'the top level'}) is not supported`, {
          location: this.source.at(this.startOf(keyIndex), joinPath(this.where(segments, path), name)),
          hint: 'rename it',
        }));
      } else if (Object.hasOwn(result, name)) {
        const where = this.where(segments, path);
        this.errors.push(new YamlSyntaxError(`duplicate key "${name}" in ${where || 'the top level'}`, {
          location: this.source.at(this.startOf(keyIndex), joinPath(where, name)),
          hint: 'each key may appear once in a mapping; remove or rename one of them',
        }));
      }
      if (this.recording) {
        const keyStart = this.startOf(keyIndex);
        if (keyStart >= 0) this.source.recordKey(childPath, keyStart);
      }
      segments.push(name);
      const valueIndex = this.next;
      const value = this.read(segments, childPath);
      segments.pop();
      // An empty value stands right after its tag or anchor, or else its key's colon, as the yaml package places it.
      if (this.recording && this.startOf(valueIndex) < 0) {
        const valueEvent = this.events[valueIndex]!;
        const properties = valueEvent.type === SCALAR ? Math.max(valueEvent.tagEnd, valueEvent.anchorEnd) : -1;
        if (properties >= 0) this.source.recordValue(childPath, properties);
        else if (keyEvent.type === SCALAR && keyEvent.valueEnd >= 0) this.source.recordValue(childPath, this.text.indexOf(':', keyEvent.valueEnd) + 1);
      }
      result[name] = value;
    }
    this.next++;
    for (const merge of mergeSources) this.applyMerge(merge, result, segments, path);
    return result;
  }

  /** `<<: *base` or `<<: [*a, *b]`: keys of the merged mappings that the mapping does not set itself. */
  private applyMerge(index: number, result: Record<string, unknown>, segments: PathSegment[], path: string): void {
    const resume = this.next;
    const event = this.events[index]!;
    const sources: number[] = [];
    if (event.type === SEQUENCE) {
      for (let i = index + 1; this.events[i]!.type !== POP; i = this.skip(i)) sources.push(i);
    } else sources.push(index);
    for (const item of sources) {
      const readMerged = () => {
        const node = this.events[this.next]!;
        if (node.type !== MAPPING) return undefined;
        this.next++;
        return this.readMap(segments, path);
      };
      let merged: Record<string, unknown> | undefined;
      if (this.events[item]!.type === ALIAS) {
        if ((this.aliasTargets.get(item) ?? -1) < 0) {
          // An alias without anchor is reported as such.
          this.throughAlias(item, segments, path, readMerged);
          continue;
        }
        merged = this.throughAlias(item, segments, path, readMerged);
      } else {
        this.next = item;
        merged = readMerged();
      }
      if (!merged) {
        this.errors.push(new YamlSyntaxError('a "<<" merge key takes a mapping or a list of mappings', { location: this.source.at(Math.max(this.startOf(item), 0), this.where(segments, path)) }));
        continue;
      }
      for (const [key, value] of Object.entries(merged)) if (!Object.hasOwn(result, key)) result[key] = value;
    }
    this.next = resume;
  }

  private interpolateScalar(index: number, text: string, segments: PathSegment[]): unknown {
    const environment = this.options.environment!;
    const event = this.events[index] as ScalarEvent;
    // Quoted scalars start one character before their text.
    const start = this.startOf(index) + (event.style === SCALAR_STYLE.DOUBLE_QUOTED || event.style === SCALAR_STYLE.SINGLE_QUOTED ? 1 : 0);
    try {
      const { value, unset } = interpolate(text, environment);
      for (const variable of unset) {
        this.options.warnings?.push({
          message: `the "${variable.name}" variable is not set; defaulting to a blank string`,
          location: this.source.at(start + variable.offset, pathOf(segments)),
        });
      }
      return castInterpolated(segments, value);
    } catch (error) {
      if (!(error instanceof InterpolationFailure)) throw error;
      this.errors.push(
        new InterpolationError(`${error.message} (in ${pathOf(segments)})`, {
          location: this.source.at(start + error.offset, pathOf(segments)),
          hint: error.hint,
        }),
      );
      return text;
    }
  }
}

/** `!!int` and `!<tag:yaml.org,2002:int>` → `int`; undefined for any other tag. */
function coreTagName(tag: string): string | undefined {
  const name = tag.startsWith('!!') ? tag.slice(2) : tag.startsWith(`!<${YAML_TAG}`) && tag.endsWith('>') ? tag.slice(YAML_TAG.length + 2, -1) : undefined;
  return name !== undefined && CORE_TAGS.has(name) ? name : undefined;
}

/** The `|` or `>` that opens a block scalar whose content starts at `contentStart`: the last one on the lines before it, after the node's properties. */
function blockHeader(text: string, contentStart: number, after: number): number {
  const lineStart = text.lastIndexOf('\n', contentStart - 1);
  const from = Math.max(after, 0);
  for (let i = lineStart; i >= from; i--) {
    const c = text.charCodeAt(i);
    if ((c === 0x7c || c === 0x3e) && (i === 0 || /[\s:\-?!\]]/.test(text[i - 1]!))) {
      // The first indicator on its line: a comment after the header may hold another.
      const headerLineStart = text.lastIndexOf('\n', i - 1) + 1;
      const hash = text.indexOf(' #', Math.max(headerLineStart, from));
      if (hash >= 0 && hash < i) continue;
      return i;
    }
  }
  return Math.max(contentStart, 0);
}
