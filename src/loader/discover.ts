import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ComposeFileNotFoundError } from '../errors.js';
import type { LoaderWarning } from './parse.js';

/** The names compose looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;
const OVERRIDE_FILE_NAMES: Record<string, string[]> = {
  'compose.yaml': ['compose.override.yaml', 'compose.override.yml'],
  'compose.yml': ['compose.override.yml', 'compose.override.yaml'],
  'docker-compose.yaml': ['docker-compose.override.yaml', 'docker-compose.override.yml'],
  'docker-compose.yml': ['docker-compose.override.yml', 'docker-compose.override.yaml'],
};

/** Marks standard input among the compose files (`-f -`). */
export const STDIN = '-';

/**
 * Finds the compose file in `workingDir` or the nearest parent that has one, as compose does,
 * together with its override file (`compose.override.yaml`) when there is one.
 */
export function discoverComposeFiles(workingDir: string, warnings: LoaderWarning[]): string[] {
  for (let dir = resolve(workingDir); ; dir = dirname(dir)) {
    const found = COMPOSE_FILE_NAMES.filter((name) => isFile(join(dir, name)));
    if (found.length > 0) {
      const chosen = found[0]!;
      if (found.length > 1) {
        warnings.push({ message: `found several compose files in ${dir} (${found.join(', ')}); using ${chosen}` });
      }
      const override = OVERRIDE_FILE_NAMES[chosen]!.find((name) => isFile(join(dir, name)));
      return override ? [join(dir, chosen), join(dir, override)] : [join(dir, chosen)];
    }
    if (dirname(dir) === dir) break;
  }
  throw new ComposeFileNotFoundError(`no compose file found in ${resolve(workingDir)} or any parent directory`, {
    hint: `create one of ${COMPOSE_FILE_NAMES.join(', ')}, or name it with -f`,
  });
}

/** Resolves the files named with -f or COMPOSE_FILE against `baseDir`, checking that each exists. */
export function resolveNamedFiles(files: readonly string[], baseDir: string): string[] {
  return files.map((file) => {
    if (file === STDIN) return STDIN;
    const path = resolve(baseDir, file);
    if (!existsSync(path)) throw new ComposeFileNotFoundError(`compose file not found: ${path}`);
    if (!isFile(path)) throw new ComposeFileNotFoundError(`not a file: ${path}`, { hint: 'name the compose file itself, not its directory' });
    return path;
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
