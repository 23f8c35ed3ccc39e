import { parseAllDocuments, isAlias, isMap, isScalar, isSeq, visit, type Alias, type Document, type EmptyStream, type Node, type Pair, type YAMLError } from 'yaml';
import { ComposeErrors, InterpolationError, YamlSyntaxError, type SourceLocation, type TscomposeError } from '../errors.js';
import { castInterpolated } from './cast.js';
import { interpolate, InterpolationFailure, type Environment } from './interpolate.js';
import { joinPath, type PathSegment, SourceFile } from './source-file.js';

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

const KNOWN_TAGS = new Set(['!reset', '!override']);

/**
 * Values that may be reached through aliases in one file. Aliases of aliases grow exponentially
 * (a "billion laughs" file of a few hundred bytes expands to millions of values); past this
 * many the file is refused before it exhausts memory. Real files stay far below it.
 */
export const MAX_ALIASED_VALUES = 100_000;

/** Mappings and lists nested deeper than this are refused (no compose key nests past a dozen levels). */
export const MAX_NESTING = 200;

/**
 * Parses one compose file: YAML with anchors, aliases and `<<` merge keys, interpolated string by
 * string so that every value keeps the line and column it was written at.
 * Reports every syntax and interpolation error of the file together.
 */
export function parseComposeFile(source: SourceFile, options: ParseOptions = {}): ParsedFile {
  const documents = parseYaml(source);
  const docs = Array.isArray(documents) ? documents : [];
  const errors: TscomposeError[] = [];
  for (const doc of docs) {
    const indentation = doc.errors.filter((error) => error.code === 'MULTILINE_IMPLICIT_KEY');
    for (const error of doc.errors) {
      // A key indented too far continues the value above it; both errors then point there. Report the line of the key once.
      if (indentation.length > 0 && error.code === 'BLOCK_AS_IMPLICIT_KEY' && indentation.some((other) => other.pos[0] === error.pos[0])) continue;
      if (error.code === 'MULTILINE_IMPLICIT_KEY') errors.push(overIndentedKey(source, error));
      else if (error.code === 'BAD_INDENT') errors.push(new YamlSyntaxError(firstLine(error.message), { location: source.at(firstNonBlankOfLine(source.text, error.pos[0])), hint: INDENT_HINT }));
      else errors.push(yamlError(source, error));
    }
  }
  if (errors.length > 0) throw errorsOf(errors);

  const parsed: ParsedDocument[] = [];
  for (const doc of docs) {
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) continue;
    for (const warning of doc.warnings) {
      if (warning.code === 'TAG_RESOLVE_FAILED' && [...KNOWN_TAGS].some((tag) => warning.message.includes(tag))) continue;
      options.warnings?.push({ message: firstLine(warning.message), location: source.at(warning.pos[0]) });
    }
    if (!isMap(contents)) {
      errors.push(new YamlSyntaxError('the top level of a compose file must be a mapping (services:, networks:, …)', { location: source.at(nodeStart(contents as Node)) }));
      continue;
    }
    const reader = new DocumentReader(source, doc, options);
    const data = reader.read(contents, []) as Record<string, unknown>;
    errors.push(...reader.errors);
    parsed.push({ data, hasMergeTags: reader.sawMergeTag });
  }
  if (errors.length > 0) throw errorsOf(errors);
  return { source, documents: parsed };
}

/**
 * The yaml package's parse, after a scan for flow collections opened far deeper than any compose
 * file nests: the parser holds every token of such text and takes hundreds of megabytes for it.
 */
function parseYaml(source: SourceFile): Document.Parsed[] | EmptyStream {
  const deep = deepFlowNesting(source.text);
  if (deep !== undefined) {
    throw new YamlSyntaxError(`values nest too deeply to be read (more than ${MAX_NESTING} levels)`, { location: source.at(deep) });
  }
  return parseAllDocuments(source.text, { uniqueKeys: false, merge: false, prettyErrors: false });
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

function nodeStart(node: Node | null | undefined): number {
  return node?.range?.[0] ?? 0;
}

class DocumentReader {
  readonly errors: TscomposeError[] = [];
  sawMergeTag = false;
  /** Each alias's anchored node, found in one walk (the yaml package walks the whole document for every alias). */
  private readonly anchored = new Map<Alias, Node | undefined>();
  /** Anchored nodes being read: an alias to one of them would expand forever. */
  private readonly open = new Set<Node>();
  /** The alias being expanded at the top, counted values reached through aliases. */
  private outerAlias?: Alias;
  private aliasedValues = 0;

  constructor(
    private readonly source: SourceFile,
    doc: Document,
    private readonly options: ParseOptions,
  ) {
    const latest = new Map<string, Node>();
    visit(doc, {
      Node: (_key, node) => {
        if (isAlias(node)) this.anchored.set(node, latest.get(node.source));
        else if (node.anchor) latest.set(node.anchor, node);
      },
    });
  }

  read(node: unknown, segments: PathSegment[], path = ''): unknown {
    if (isAlias(node)) {
      this.source.recordValue(path, nodeStart(node));
      return this.throughAlias(node, path, (target) => this.read(target, segments, path)) ?? null;
    }
    if (this.outerAlias && ++this.aliasedValues > MAX_ALIASED_VALUES) {
      throw new YamlSyntaxError(`aliases expand to more than ${MAX_ALIASED_VALUES} values; refused as an alias bomb`, {
        location: this.source.at(nodeStart(this.outerAlias)),
        hint: 'an alias of aliases grows exponentially: repeat the values, or use fewer levels of aliases',
      });
    }
    if (segments.length > MAX_NESTING) {
      throw new YamlSyntaxError(`values nest more than ${MAX_NESTING} levels deep`, { location: this.source.at(nodeStart(node as Node), path) });
    }
    const yamlNode = node as Node | null;
    if (yamlNode?.range) this.source.recordValue(path, yamlNode.range[0]);
    const anchored = yamlNode?.anchor ? yamlNode : undefined;
    if (anchored) this.open.add(anchored);
    try {
      const tag = (yamlNode as { tag?: string } | null)?.tag;
      if (tag === '!reset') {
        this.sawMergeTag = true;
        return RESET;
      }
      const value = this.readUntagged(yamlNode, segments, path);
      if (tag === '!override') {
        this.sawMergeTag = true;
        return new Override(value);
      }
      return value;
    } finally {
      if (anchored) this.open.delete(anchored);
    }
  }

  /** Reads what an alias points to, counting what it expands to; undefined for an alias without anchor. */
  private throughAlias<T>(alias: Alias, path: string, readTarget: (target: Node) => T): T | undefined {
    const target = this.anchored.get(alias);
    if (!target) {
      this.errors.push(new YamlSyntaxError(`alias *${alias.source} has no anchor &${alias.source} before it`, { location: this.source.at(nodeStart(alias), path) }));
      return undefined;
    }
    if (this.open.has(target)) {
      throw new YamlSyntaxError(`alias *${alias.source} refers to a value that contains it`, { location: this.source.at(nodeStart(alias), path), hint: 'an alias can repeat a value, not the value it stands in' });
    }
    const outermost = this.outerAlias === undefined;
    if (outermost) this.outerAlias = alias;
    try {
      return readTarget(target);
    } finally {
      if (outermost) this.outerAlias = undefined;
    }
  }

  private readUntagged(node: Node | null, segments: PathSegment[], path: string): unknown {
    if (node === null || node === undefined) return null;
    if (isMap(node)) return this.readMap(node.items as Pair[], segments, path);
    if (isSeq(node)) {
      return node.items.map((item, index) => {
        segments.push(index);
        const value = this.read(item, segments, joinPath(path, index));
        segments.pop();
        return value;
      });
    }
    if (isScalar(node)) {
      const value = node.value;
      if (typeof value === 'string' && this.options.environment && value.includes('$')) return this.interpolateScalar(node, value, segments, path);
      // go-yaml reads a plain 0440 as octal (Go's base-0 integers), as file modes are meant; YAML 1.2 reads 440.
      if (typeof value === 'number' && node.type === 'PLAIN' && node.range && /^[-+]?0[0-7]+$/.test(this.source.text.slice(node.range[0], node.range[1]))) {
        return parseInt(this.source.text.slice(node.range[0], node.range[1]), 8);
      }
      return value;
    }
    return null;
  }

  private readMap(pairs: Pair[], segments: PathSegment[], path: string): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const mergeSources: unknown[] = [];
    for (const pair of pairs) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? keyNode.value : keyNode;
      if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
        mergeSources.push(pair.value);
        continue;
      }
      const name = key === null || key === undefined ? '' : String(key);
      const childPath = joinPath(path, name);
      if (typeof key === 'number' || typeof key === 'boolean') {
        // As compose-go: `123:` is a number to YAML, and compose names are strings.
        this.errors.push(new YamlSyntaxError(`non-string key in ${path || 'the top level'}: ${name}`, {
          location: this.source.at(nodeStart(keyNode), childPath),
          hint: `quote it if it is meant as a name: "${name}":`,
        }));
      }
      // Checked here rather than by the yaml package, whose check is quadratic in a mapping's size.
      if (Object.hasOwn(result, name)) {
        this.errors.push(new YamlSyntaxError(`duplicate key "${name}" in ${path || 'the top level'}`, {
          location: this.source.at(nodeStart(keyNode), childPath),
          hint: 'each key may appear once in a mapping; remove or rename one of them',
        }));
      }
      if (keyNode?.range) this.source.recordKey(childPath, keyNode.range[0]);
      segments.push(name);
      result[name] = this.read(pair.value, segments, childPath);
      segments.pop();
    }
    for (const merge of mergeSources) {
      const sources = isSeq(merge) ? merge.items : [merge];
      for (const item of sources) {
        const readMerged = (target: unknown) => (isMap(target) ? this.readMap(target.items as Pair[], segments, path) : undefined);
        const merged = isAlias(item) ? this.throughAlias(item, path, readMerged) : readMerged(item);
        if (!merged) {
          // An alias without anchor is reported as such already.
          if (isAlias(item) && !this.anchored.get(item)) continue;
          this.errors.push(new YamlSyntaxError('a "<<" merge key takes a mapping or a list of mappings', { location: this.source.at(nodeStart(item as Node), path) }));
          continue;
        }
        for (const [key, value] of Object.entries(merged)) if (!(key in result)) result[key] = value;
      }
    }
    return result;
  }

  private interpolateScalar(node: Node, text: string, segments: PathSegment[], path: string): unknown {
    const environment = this.options.environment!;
    // Quoted scalars start one character before their text.
    const quoteShift = (node as { type?: string }).type === 'QUOTE_DOUBLE' || (node as { type?: string }).type === 'QUOTE_SINGLE' ? 1 : 0;
    try {
      const { value, unset } = interpolate(text, environment);
      for (const variable of unset) {
        this.options.warnings?.push({
          message: `the "${variable.name}" variable is not set; defaulting to a blank string`,
          location: this.source.locate(path, 'value', quoteShift + variable.offset),
        });
      }
      return castInterpolated(segments, value);
    } catch (error) {
      if (!(error instanceof InterpolationFailure)) throw error;
      this.errors.push(
        new InterpolationError(`${error.message} (in ${path})`, {
          location: this.source.locate(path, 'value', quoteShift + error.offset),
          hint: error.hint,
        }),
      );
      return text;
    }
  }
}
