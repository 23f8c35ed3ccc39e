import { isAbsolute, resolve, dirname } from 'node:path';
import { UnresolvedReferenceError } from '../errors.js';
import { isRecord } from './canonicalize.js';
import { mergeService, stripMergeTags } from './merge.js';
import type { ComposeDocument } from './read-file.js';
import { ResolutionChain } from './resolution-chain.js';
import { joinPath } from './source-file.js';
import { didYouMean } from './suggest.js';

type Data = Record<string, unknown>;

/** Reads another compose file for `extends: {file: …}`, parsed, validated and canonicalized. */
export type DocumentReader = (path: string) => ComposeDocument;

/**
 * Resolves `extends` in every service of a document: the base service (from the same file or
 * another) is merged under the extending one, recursively, with cycles reported.
 */
export function resolveExtends(document: ComposeDocument, readDocument: DocumentReader): void {
  const services = document.data.services;
  if (!isRecord(services)) return;
  for (const name of Object.keys(services)) {
    services[name] = resolveService(document, name, readDocument, ResolutionChain.start('extends'));
  }
}

function resolveService(document: ComposeDocument, name: string, readDocument: DocumentReader, outer: ResolutionChain): Data {
  const services = document.data.services as Data;
  const service = services[name];
  if (!isRecord(service) || !isRecord(service.extends)) return service as Data;
  const path = joinPath(joinPath('services', name), 'extends');
  const chain = outer.then({ key: `${document.source.path}\0${name}`, label: joinPath('services', name), location: document.source.locate(path, 'key') });
  const { service: baseName, file } = service.extends as { service: string; file?: string };
  let baseDocument = document;
  if (typeof file === 'string') {
    const basePath = isAbsolute(file) ? file : resolve(dirname(document.source.path === '-' ? process.cwd() + '/-' : document.source.path), file);
    try {
      baseDocument = readDocument(basePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new UnresolvedReferenceError(`services.${name} extends a service in ${file}, which does not exist`, { location: document.source.locate(joinPath(path, 'file')) });
    }
  }
  const baseServices = isRecord(baseDocument.data.services) ? baseDocument.data.services : {};
  if (!isRecord(baseServices[baseName])) {
    throw new UnresolvedReferenceError(`services.${name} extends service "${baseName}", which is not defined${typeof file === 'string' ? ` in ${file}` : ''}`, {
      location: document.source.locate(joinPath(path, 'service')),
      hint: didYouMean(baseName, Object.keys(baseServices)),
    });
  }
  const base = resolveService(baseDocument, baseName, readDocument, chain);
  const inherited = stripMergeTags(base) as Data;
  delete inherited.extends;
  if (baseDocument !== document) rebasePaths(inherited, dirname(baseDocument.source.path));
  const own: Data = { ...service };
  delete own.extends;
  return mergeService(inherited, own);
}

/** Relative paths in a service from another file are relative to that file's directory. */
function rebasePaths(service: Data, baseDir: string): void {
  if (isRecord(service.build) && typeof service.build.context === 'string' && !isAbsolute(service.build.context) && !service.build.context.includes('://')) {
    service.build = { ...service.build, context: resolve(baseDir, service.build.context) };
  }
  if (Array.isArray(service.env_file)) {
    service.env_file = service.env_file.map((entry) => {
      if (typeof entry === 'string') return resolve(baseDir, entry);
      if (isRecord(entry) && typeof entry.path === 'string') return { ...entry, path: resolve(baseDir, entry.path) };
      return entry;
    });
  }
}
