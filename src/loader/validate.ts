import type { ErrorObject } from 'ajv';
import { SchemaError, type TscomposeError } from '../errors.js';
import validateCompose from '../generated/compose-validator.js';
import { Override, RESET, type ParsedDocument } from './parse.js';
import { joinPath, type SourceFile } from './source-file.js';
import { didYouMean } from './suggest.js';

/**
 * Checks one parsed document against schemas/compose-spec.json (compiled ahead of time) and
 * returns every problem with its file, line, column and key path.
 */
export function validateComposeDocument(document: ParsedDocument, source: SourceFile): TscomposeError[] {
  const data = document.hasMergeTags ? withoutMergeTags(document.data) : document.data;
  if (validateCompose(data)) return [];
  return schemaErrors(validateCompose.errors ?? [], source, data);
}

/** The data as the schema sees it: `!reset` keys left out, `!override` values unwrapped. */
function withoutMergeTags(value: unknown): unknown {
  if (value instanceof Override) return withoutMergeTags(value.value);
  if (Array.isArray(value)) return value.filter((item) => item !== RESET).map(withoutMergeTags);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== RESET) out[key] = withoutMergeTags(item);
    return out;
  }
  return value;
}

const MISSING_KEYS = new WeakMap<SchemaError, { path: string; key: string }>();

/**
 * For "is missing the required key" errors: the path and the key. compose checks an override
 * file merged with the files before it, so such a key may come from an earlier file.
 */
export function missingKeyOf(error: TscomposeError): { path: string; key: string } | undefined {
  return error instanceof SchemaError ? MISSING_KEYS.get(error) : undefined;
}

const COMBINATORS = new Set(['oneOf', 'anyOf', 'allOf', 'if', 'not']);

/**
 * ajv with allErrors reports every failing branch of a oneOf. Users want one line per real
 * problem: keep the deepest errors, fold type errors at one place into "must be A or B",
 * and drop combinator summaries that deeper errors already explain.
 */
export function schemaErrors(errors: readonly ErrorObject[], source: SourceFile, data: unknown): SchemaError[] {
  const paths = errors.map((error) => instancePathToCompose(error.instancePath, data));
  const deeper = (path: string) => paths.some((other) => other !== path && (other.startsWith(path + '.') || other.startsWith(path + '[') || path === ''));
  const byPlace = new Map<string, { types: Set<string>; errors: ErrorObject[] }>();
  errors.forEach((error, index) => {
    const path = paths[index]!;
    const concernsKey = error.keyword === 'additionalProperties' || error.keyword === 'propertyNames';
    if (!concernsKey && (COMBINATORS.has(error.keyword) || error.keyword === 'type') && deeper(path)) return;
    const entry = byPlace.get(path) ?? { types: new Set<string>(), errors: [] };
    if (error.keyword === 'type') String(error.params.type).split(',').forEach((type) => entry.types.add(type));
    else if (!COMBINATORS.has(error.keyword) || entry.errors.length === 0) entry.errors.push(error);
    byPlace.set(path, entry);
  });

  const result: SchemaError[] = [];
  const seen = new Set<string>();
  for (const [path, entry] of byPlace) {
    const specific = entry.errors.filter((error) => !COMBINATORS.has(error.keyword));
    if (entry.types.size > 0 && specific.length === 0) {
      result.push(new SchemaError(`${describe(path)} must be ${typeList([...entry.types])}`, { location: source.locate(path) }));
      continue;
    }
    for (const error of specific.length > 0 ? specific : entry.errors) {
      const built = toSchemaError(error, path, source);
      const key = `${built.path}|${built.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.push(built);
    }
  }
  return result.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function toSchemaError(error: ErrorObject, path: string, source: SourceFile): SchemaError {
  const where = describe(path);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const keyPath = joinPath(path, key);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return new SchemaError(`unknown key "${key}" in ${where}`, { location: source.locate(keyPath, 'key'), hint: didYouMean(key, known) });
    }
    case 'propertyNames': {
      const key = String(error.params.propertyName);
      return new SchemaError(`invalid name "${key}" in ${where}`, {
        location: source.locate(joinPath(path, key), 'key'),
        hint: 'names may contain only letters, digits, ".", "_" and "-"',
      });
    }
    case 'required': {
      const key = String(error.params.missingProperty);
      const missing = new SchemaError(`${where} is missing the required key "${key}"`, { location: source.locate(path) });
      MISSING_KEYS.set(missing, { path, key });
      return missing;
    }
    case 'enum':
      return new SchemaError(`${where} must be one of: ${(error.params.allowedValues as unknown[]).map(String).join(', ')}`, { location: source.locate(path) });
    case 'uniqueItems':
      return new SchemaError(`${where} has the same entry twice (items ${String(error.params.j)} and ${String(error.params.i)})`, { location: source.locate(joinPath(path, Number(error.params.i))) });
    case 'pattern':
      return new SchemaError(`${where} has an invalid value ${JSON.stringify(error.data)}`, { location: source.locate(path), hint: patternHint(error) });
    case 'oneOf':
    case 'anyOf':
      return new SchemaError(`${where} has an invalid value ${JSON.stringify(error.data)}`, { location: source.locate(path) });
    default:
      return new SchemaError(`${where} ${error.message ?? 'is invalid'}`, { location: source.locate(path) });
  }
}

/** What a pattern means, in the schema's words where it has them. */
function patternHint(error: ErrorObject): string {
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  return description ?? `it must match ${String(error.params.pattern)}`;
}

function describe(path: string): string {
  return path === '' ? 'the top level' : path;
}

function typeList(types: string[]): string {
  const names = [...new Set(types.map((type) => ({ object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', integer: 'an integer', boolean: 'a boolean', null: 'empty' })[type] ?? type))];
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** `/services/web/ports/1` → `services.web.ports[1]`: a segment is an index where the data holds a list. */
export function instancePathToCompose(instancePath: string, data: unknown): string {
  if (instancePath === '') return '';
  let path = '';
  let node = data;
  for (const raw of instancePath.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const isIndex = Array.isArray(node);
    path = joinPath(path, isIndex ? Number(segment) : segment);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return path;
}
