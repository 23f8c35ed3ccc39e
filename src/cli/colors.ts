import type { ChalkInstance, ColorSupportLevel } from 'chalk';
import { createRequire } from 'node:module';

declare const TSCOMPOSE_PACKAGE_BUNDLES: boolean | undefined;

let chalk: ChalkInstance | undefined;
/** The level chalk detected when it was loaded (a terminal, FORCE_COLOR), before --ansi or NO_COLOR changed it. */
let detectedLevel: ColorSupportLevel = 0;

/**
 * chalk, initialized on first use: its color detection (node:tty, node:os) and style tables cost
 * every command about 1 ms at start, and most print no color. Built, the bundle holds chalk and
 * initializes it here; from the sources, Node's require of the ES module gives the instance that
 * `import` gives.
 */
export function colors(): ChalkInstance {
  if (!chalk) {
    chalk = (typeof TSCOMPOSE_PACKAGE_BUNDLES === 'boolean' ? (require('chalk') as typeof import('chalk')) : (createRequire(import.meta.url)('chalk') as typeof import('chalk'))).default;
    detectedLevel = chalk.level;
  }
  return chalk;
}

/** Runs `body`, then gives chalk back the level it had (or detected, when the run loaded it): in-process callers (tests, the library's users) keep their own setting. */
export async function keepingColorLevel<T>(body: () => Promise<T>): Promise<T> {
  const level = chalk?.level;
  try {
    return await body();
  } finally {
    if (chalk) chalk.level = level ?? detectedLevel;
  }
}
