import { throwIfAny } from '../errors.js';
import { canonicalizeFile } from './canonicalize.js';
import type { Environment } from './interpolate.js';
import { parseComposeFile, type LoaderWarning, type ParsedFile } from './parse.js';
import { SourceFile } from './source-file.js';
import { validateComposeFile } from './validate.js';

/** One compose file after the per-file phases: parsed, interpolated, validated, canonicalized. */
export type ComposeDocument = ParsedFile;

/**
 * The per-file phases, in order: YAML → interpolation → schema → one form per key.
 * Every error of the file is reported together; nothing after a failed phase runs.
 */
export function readComposeDocument(path: string, text: string, environment: Environment, warnings: LoaderWarning[]): ComposeDocument {
  const source = new SourceFile(path, text);
  const parsed = parseComposeFile(source, { environment, warnings });
  throwIfAny(validateComposeFile(parsed));
  throwIfAny(canonicalizeFile(parsed.data, source));
  return parsed;
}
