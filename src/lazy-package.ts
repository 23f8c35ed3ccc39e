import { createRequire } from 'node:module';
import type tarStream from 'tar-stream';
import type * as yaml from 'yaml';

/** The packages most runs never use: the build gives each a bundle of its own (scripts/build.mjs). */
interface LazyPackages {
  /** YAML output (config) and the wording of YAML syntax errors. */
  yaml: typeof yaml;
  /** Tar archives: build contexts, cp, files written into containers. */
  'tar-stream': typeof tarStream;
}

declare const TSCOMPOSE_PACKAGE_BUNDLES: boolean | undefined;
const requireHere = typeof require === 'function' ? require : createRequire(import.meta.url);

/**
 * A package loaded on first use. Built, it is the bundle of its own beside ours (dist/yaml.cjs),
 * which the CLI loads through its own code cache: carried in the CLI's bundle, it was read and
 * deserialized by every command. From the sources it is the package itself.
 */
export function lazyPackage<Name extends keyof LazyPackages>(name: Name): LazyPackages[Name] {
  return (typeof TSCOMPOSE_PACKAGE_BUNDLES === 'boolean' ? requireHere(`./${name}.cjs`) : requireHere(name)) as LazyPackages[Name];
}
