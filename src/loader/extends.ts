import { relative, resolve, dirname } from 'node:path';
import { LoaderError, ResolutionCycleError, throwIfAny, UnresolvedReferenceError, type SourceLocation } from '../errors.js';
import { isRecord } from './canonicalize.js';
import { Chain } from './chain.js';
import { mergeService, stripMergeTags } from './merge.js';
import type { ComposeDocument } from './read-file.js';
import { resolveRelativePaths } from './paths.js';
import { joinPath } from './source-file.js';
import { didYouMean } from './suggest.js';

type Data = Record<string, unknown>;

/** Reads another compose file for `extends: {file: …}`, parsed, validated and canonicalized. */
export type DocumentReader = (path: string) => ComposeDocument;

/**
 * Resolves `extends` in every service of a document: the base service (from the same file or
 * another) is merged under the extending one, recursively, with cycles reported.
 */
export function resolveExtends(document: ComposeDocument, workingDir: string, readDocument: DocumentReader): void {
  const services = document.data.services;
  if (!isRecord(services)) return;
  for (const name of Object.keys(services)) {
    services[name] = resolveService(document, name, workingDir, readDocument, Chain.EMPTY);
  }
}

/** Services extending services, at most: real chains are a few deep; thousands would overflow the stack. */
export const MAX_EXTENDS_DEPTH = 64;

function resolveService(document: ComposeDocument, name: string, workingDir: string, readDocument: DocumentReader, chain: Chain, depth = 0): Data {
  const services = document.data.services as Data;
  const service = services[name];
  if (!isRecord(service) || !isRecord(service.extends)) return service as Data;
  const path = joinPath(joinPath('services', name), 'extends');
  const location = document.source.locate(path, 'key');
  // A step names the service with the file and line of its extends: unique, and what the cycle's message shows.
  const next = chain.enter(`${joinPath('services', name)} (${shownPlace(location)})`);
  if (next.cycle) {
    throw new ResolutionCycleError(`extends cycle: ${next.cycle.join(' → ')}`, {
      location,
      hint: 'a service cannot extend itself, directly or through others: remove one of these extends',
    });
  }
  if (depth >= MAX_EXTENDS_DEPTH) {
    throw new LoaderError(`extends goes more than ${MAX_EXTENDS_DEPTH} services deep (here at services.${name})`, { location, hint: 'shorten the chain of services extending each other' });
  }
  const { service: baseName, file } = service.extends as { service?: unknown; file?: unknown };
  // The schema reports an extends without a service.
  if (typeof baseName !== 'string') return service;
  let baseDocument = document;
  if (typeof file === 'string') {
    const basePath = resolve(workingDir, file);
    try {
      baseDocument = readDocument(basePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new UnresolvedReferenceError(`services.${name} extends a service in ${file}, which does not exist`, { location: document.source.locate(joinPath(path, 'file')) });
    }
  }
  const baseServices = isRecord(baseDocument.data.services) ? baseDocument.data.services : {};
  // A service written without settings (`nil:`) exists, and gives nothing to inherit, as in compose-go.
  if (!isRecord(baseServices[baseName]) && !(baseName in baseServices && baseServices[baseName] === null)) {
    throw new UnresolvedReferenceError(`services.${name} extends service "${baseName}", which is not defined${typeof file === 'string' ? ` in ${file}` : ''}`, {
      location: document.source.locate(joinPath(path, 'service')),
      hint: didYouMean(baseName, Object.keys(baseServices)),
    });
  }
  // Of a file read for extends, compose checks only what is extended.
  if (baseDocument !== document && isRecord(baseServices[baseName])) throwIfAny(baseDocument.schemaErrors.filter((error) => isAtOrBelow(error.path ?? '', joinPath('services', baseName))));
  const base = resolveService(baseDocument, baseName, baseDocument === document ? workingDir : dirname(baseDocument.source.path), readDocument, next.chain, depth + 1) ?? {};
  const inherited = stripMergeTags(base) as Data;
  delete inherited.extends;
  // Relative paths in a service from another file are relative to that file's directory.
  if (baseDocument !== document) resolveRelativePaths({ services: { [baseName]: inherited } }, dirname(baseDocument.source.path));
  const own: Data = { ...service };
  delete own.extends;
  return mergeService(inherited, own);
}

/** `file:line`, the file relative to the working directory as the CLI prints places. */
function shownPlace(location: SourceLocation): string {
  const file = location.file === '-' ? '<stdin>' : relative(process.cwd(), location.file) || location.file;
  return `${file}:${location.line}`;
}

function isAtOrBelow(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}.`) || path.startsWith(`${parent}[`);
}
