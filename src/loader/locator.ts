import type { SourceLocation } from '../errors.js';
import { parentPath, type SourceFile } from './source-file.js';

/**
 * Finds where a key path of the merged model was written, across all the files that were
 * merged: the last file that wrote the path wins, as it wins in the merge.
 */
export class Locator {
  constructor(private readonly sources: readonly SourceFile[]) {}

  locate(path: string, prefer: 'value' | 'key' = 'value'): SourceLocation | undefined {
    for (let probe: string | undefined = path; probe !== undefined; probe = parentPath(probe)) {
      for (let i = this.sources.length - 1; i >= 0; i--) {
        const source = this.sources[i]!;
        if (source.has(probe)) return { ...source.locate(probe, prefer), path };
      }
    }
    return undefined;
  }
}
