import { throwIfAny, type TscomposeError } from '../errors.js';
import { canonicalizeFile } from './canonicalize.js';
import type { Environment } from './interpolate.js';
import { parseComposeFile, type LoaderWarning, type ParsedFile } from './parse.js';
import { SourceFile } from './source-file.js';
import { missingKeyOf, validateComposeFile } from './validate.js';

/** One compose file after the per-file phases: parsed, interpolated, validated, canonicalized. */
export interface ComposeDocument extends ParsedFile {
  /**
   * Schema errors that only say a required key is missing: compose checks an override file
   * merged with the files before it, where the key may be, so the caller decides (loadFiles).
   */
  missingKeys: TscomposeError[];
}

/**
 * The per-file phases, in order: YAML → interpolation → schema → one form per key.
 * Every error of the file is reported together; nothing after a failed phase runs.
 */
export function readComposeDocument(path: string, text: string, environment: Environment, warnings: LoaderWarning[]): ComposeDocument {
  const source = new SourceFile(path, text);
  const parsed = parseComposeFile(source, { environment, warnings });
  const schemaErrors = validateComposeFile(parsed);
  if (schemaErrors.some((error) => missingKeyOf(error) === undefined)) throwIfAny(schemaErrors);
  throwIfAny(canonicalizeFile(parsed.data, source));
  return { ...parsed, missingKeys: schemaErrors };
}
