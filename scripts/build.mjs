// Builds dist/: validators generated from schemas/, the CLI and the library bundled by esbuild
// (one file each starts much faster than hundreds of modules), and type declarations by tsc.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generateValidators } from './gen-validators.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
generateValidators({ force: true });

await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The engine client is loaded only by commands that talk to an engine.
  external: ['dockerode', 'ssh2', 'cpu-features'],
  // Bundled CommonJS dependencies (ajv's runtime) still call require().
  banner: { js: "import { createRequire as __tscomposeCreateRequire } from 'node:module'; const require = __tscomposeCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});

execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--emitDeclarationOnly'], { cwd: root, stdio: 'inherit' });
