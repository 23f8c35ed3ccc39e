import type { SourceLocation } from '../errors.js';
import { parentPath, type SourceFile } from './source-file.js';

/**
 * Finds where a key path of the merged model was written, across all the files that were
 * merged: the last file that wrote the path wins, as it wins in the merge.
 */
export class Locator {
  private readonly origins = new Map<string, string>();

  constructor(private readonly sources: readonly SourceFile[]) {}

  /** A path the loader adds (an implicit depends_on entry) is located where what implies it was written. */
  alias(path: string, origin: string): void {
    this.origins.set(path, origin);
  }

  locate(path: string, prefer: 'value' | 'key' = 'value'): SourceLocation | undefined {
    const origin = this.origins.get(path);
    if (origin !== undefined) return this.locate(origin);
    for (let probe: string | undefined = path; probe !== undefined; probe = parentPath(probe)) {
      for (let i = this.sources.length - 1; i >= 0; i--) {
        const source = this.sources[i]!;
        if (source.has(probe)) return { ...source.locate(probe, prefer), path };
      }
    }
    return undefined;
  }
}
