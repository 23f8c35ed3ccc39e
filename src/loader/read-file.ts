import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { ComposeFileTooLargeError, throwIfAny, type TscomposeError } from '../errors.js';
import { canonicalizeFile } from './canonicalize.js';
import type { Environment } from './interpolate.js';
import { mergeComposeData } from './merge.js';
import { parseComposeFile, type LoaderWarning, type ParsedDocument } from './parse.js';
import { SourceFile } from './source-file.js';
import { validateComposeDocument } from './validate.js';

/** One compose file after the per-file phases: parsed, interpolated, validated, canonicalized. */
export interface ComposeDocument extends ParsedDocument {
  source: SourceFile;
  /** A file without content: compose accepts one among other files, not alone. */
  empty: boolean;
  /**
   * What the schema found wrong, for the reader to report: compose checks an override file
   * merged with the files before it (a required key may come from them), and of a file read
   * for `extends` only the services that are extended.
   */
  schemaErrors: TscomposeError[];
}

/**
 * The per-file phases, in order: YAML → interpolation → schema → one form per key. Several YAML
 * documents in a file are merged in order, as compose-go merges them.
 * Every error of the file is reported together; canonicalization copes with what the schema refused.
 */
export function readComposeDocument(path: string, text: string, environment: Environment, warnings: LoaderWarning[]): ComposeDocument {
  const source = new SourceFile(path, text);
  const { documents } = parseComposeFile(source, { environment, warnings });
  const schemaErrors: TscomposeError[] = [];
  const canonicalErrors: TscomposeError[] = [];
  for (const document of documents) {
    schemaErrors.push(...validateComposeDocument(document, source));
    canonicalErrors.push(...canonicalizeFile(document.data, source));
  }
  throwIfAny(canonicalErrors);
  const [first, ...rest] = documents;
  const data = rest.reduce((merged, document) => mergeComposeData(merged, document.data), first?.data ?? {});
  return { source, data, hasMergeTags: documents.some((document) => document.hasMergeTags), empty: documents.length === 0, schemaErrors };
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
