// Builds dist/: validators generated from schemas/, the CLI and the library bundled by esbuild
// (one file each starts much faster than the hundreds of modules of yaml and ajv), a V8 code
// cache for the CLI, and type declarations by tsc.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generateValidators } from './gen-validators.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
generateValidators({ force: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  // ssh2's optional native parts stay outside every bundle.
  external: ['cpu-features', '*.node'],
};

/** In the CLI, src/engine/dockerode.ts is the separate bundle dist/dockerode.cjs, required on first use. */
const dockerodeApart = {
  name: 'dockerode-apart',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\/dockerode\.js$/ }, () => ({ path: './dockerode.cjs', external: true }));
  },
};

// dockerode and its dependencies in one file of their own: resolving its module tree from
// node_modules cost about 150 ms an engine command, and carrying it in the CLI bundle made every
// command, config included, read and deserialize twice as much.
await build({ ...common, entryPoints: { dockerode: 'src/engine/dockerode.ts' }, outExtension: { '.js': '.cjs' }, outdir: 'dist', format: 'cjs' });

// The CLI as CommonJS, so that bin/tscompose.cjs can compile it with a V8 code cache.
await build({
  ...common,
  entryPoints: { cli: 'src/cli/main.ts' },
  outExtension: { '.js': '.cjs' },
  outdir: 'dist',
  format: 'cjs',
  plugins: [dockerodeApart],
  // import() becomes require(): the bundle runs in a vm.Script, which has no dynamic-import hook.
  supported: { 'dynamic-import': false },
  // import.meta.url (for createRequire) as the bundle's own URL.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// The library as ESM.
await build({
  ...common,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  format: 'esm',
  // Bundled CommonJS dependencies still call require() (ajv's runtime) and read __dirname (ssh2, under dockerode).
  banner: {
    js: "import { createRequire as __tscomposeCreateRequire } from 'node:module'; import { fileURLToPath as __tscomposeFileURLToPath } from 'node:url'; const require = __tscomposeCreateRequire(import.meta.url); const __filename = __tscomposeFileURLToPath(import.meta.url); const __dirname = __tscomposeFileURLToPath(new URL('.', import.meta.url));",
  },
});

// One typical run writes the code cache: the functions it compiled are cached with the script.
// `plan` against an absent engine runs the loader, loads the engine client and runs the planner.
execFileSync(process.execPath, [join(root, 'bin', 'tscompose.cjs'), '-f', join(root, 'examples', 'demo', 'compose.yaml'), 'plan'], {
  cwd: root,
  env: { ...process.env, TSCOMPOSE_WRITE_CODE_CACHE: '1', DOCKER_HOST: 'unix:///nonexistent/tscompose-build.sock' },
  stdio: ['ignore', 'ignore', 'ignore'],
});

execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--emitDeclarationOnly'], { cwd: root, stdio: 'inherit' });
