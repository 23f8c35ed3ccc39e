import { throwIfAny, type TscomposeError } from '../errors.js';
import { canonicalizeFile } from './canonicalize.js';
import type { Environment } from './interpolate.js';
import { parseComposeFile, type LoaderWarning, type ParsedFile } from './parse.js';
import { SourceFile } from './source-file.js';
import { validateComposeFile } from './validate.js';

/** One compose file after the per-file phases: parsed, interpolated, validated, canonicalized. */
export interface ComposeDocument extends ParsedFile {
  /**
   * What the schema found wrong, for the reader to report: compose checks an override file
   * merged with the files before it (a required key may come from them), and of a file read
   * for `extends` only the services that are extended.
   */
  schemaErrors: TscomposeError[];
}

/**
 * The per-file phases, in order: YAML → interpolation → schema → one form per key.
 * Every error of the file is reported together; canonicalization copes with what the schema refused.
 */
export function readComposeDocument(path: string, text: string, environment: Environment, warnings: LoaderWarning[]): ComposeDocument {
  const source = new SourceFile(path, text);
  const parsed = parseComposeFile(source, { environment, warnings });
  const schemaErrors = validateComposeFile(parsed);
  throwIfAny(canonicalizeFile(parsed.data, source));
  return { ...parsed, schemaErrors };
}
