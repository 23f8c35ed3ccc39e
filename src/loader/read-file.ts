import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { ComposeFileTooLargeError, throwIfAny, type TscomposeError } from '../errors.js';
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

/**
 * The largest compose file tscompose reads: 2 MiB, about 3,500 services of ten keys each
 * (the largest files seen in practice are a fraction of it). Parsing holds about a hundred
 * times the text in memory; past this size a file is refused before it is read.
 */
export const MAX_COMPOSE_FILE_BYTES = 2 * 1024 * 1024;

/** A compose file's text, refused before reading when it is larger than MAX_COMPOSE_FILE_BYTES. */
export function readComposeText(path: string): string {
  const fd = openSync(path, 'r');
  try {
    checkComposeSize(path, fstatSync(fd).size);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

export function checkComposeSize(path: string, bytes: number): void {
  if (bytes <= MAX_COMPOSE_FILE_BYTES) return;
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  throw new ComposeFileTooLargeError(`${path === '-' ? 'standard input' : path} is ${mib(bytes)}; compose files larger than ${mib(MAX_COMPOSE_FILE_BYTES)} are refused`, {
    location: { file: path, line: 1, column: 1 },
    hint: 'split it into several files (-f a.yaml -f b.yaml, or include:)',
  });
}
