// Builds dist/: validators generated from schemas/, the CLI and the library bundled by esbuild
// (one file each starts much faster than the hundreds of modules of yaml and ajv), a V8 code
// cache for the CLI, and the library's type declarations in one file.
// Every dependency is bundled, so the package needs none installed at run time.
// `node scripts/build.mjs --sourcemap` (or TSCOMPOSE_SOURCEMAP=1) adds source maps.
import { execFile } from 'node:child_process';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateDtsBundle } from 'dts-bundle-generator';
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
  // Off by default: the maps were two thirds of the package.
  sourcemap: process.argv.includes('--sourcemap') || process.env.TSCOMPOSE_SOURCEMAP === '1' ? 'linked' : false,
  logLevel: 'warning',
  // ssh2's optional native parts stay outside every bundle.
  external: ['cpu-features', '*.node'],
};

/**
 * src/engine/dockerode.ts is the separate bundle dist/dockerode.cjs, which src/engine/client.ts
 * requires on first use (in the sources it requires the package): the CLI and both forms of the
 * library.
 */
const dockerodeBundle = { TSCOMPOSE_DOCKERODE_BUNDLE: 'true' };

/**
 * Packages most runs never use, each a bundle of its own (dist/yaml.cjs…) that src/lazy-package.ts
 * (and the progress renderer, for ora) requires on first use. In the CLI's bundle, every command,
 * `--version` included, read them and deserialized their code cache.
 */
const LAZY_PACKAGES = ['yaml', 'tar-stream', 'ora'];
const packageBundles = {
  define: { TSCOMPOSE_PACKAGE_BUNDLES: 'true' },
  // The progress renderer requires dist/ora.cjs by name: the file is there at run time.
  external: [...common.external, './ora.cjs'],
  metafile: true,
};

// dockerode and its dependencies in one file of their own: resolving its module tree from
// node_modules cost about 150 ms an engine command, and carrying it in the CLI bundle made every
// command, config included, read and deserialize twice as much.
await build({ ...common, entryPoints: { dockerode: 'src/engine/dockerode.ts' }, outExtension: { '.js': '.cjs' }, outdir: 'dist', format: 'cjs' });
await build({ ...common, entryPoints: Object.fromEntries(LAZY_PACKAGES.map((name) => [name, name])), outExtension: { '.js': '.cjs' }, outdir: 'dist', format: 'cjs' });

/**
 * A CommonJS bundle of ours that uses dist/dockerode.cjs: import() becomes require() (the CLI
 * runs in a vm.Script, jest runs the library in a vm context: neither has a dynamic-import
 * hook), and import.meta.url (createRequire, the exit hook finding bin/) is the bundle's own URL.
 */
const commonJs = {
  ...common,
  outExtension: { '.js': '.cjs' },
  outdir: 'dist',
  format: 'cjs',
  supported: { 'dynamic-import': false },
  ...packageBundles,
  define: { 'import.meta.url': '__bundle.url', ...dockerodeBundle, ...packageBundles.define },
  // Made on first use: the first URL costs 0.3 ms, and most commands never ask.
  banner: { js: "const __bundle = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
};

// The CLI as CommonJS, so that bin/tscompose.cjs can compile it with a V8 code cache.
withoutLazyPackages(await build({ ...commonJs, entryPoints: { cli: 'src/cli/main.ts' } }));
// The library as ESM (dist/index.js) and as CommonJS (dist/index.cjs), for `import` and `require`.
withoutLazyPackages(await build({
  ...common,
  ...packageBundles,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  format: 'esm',
  define: { ...dockerodeBundle, ...packageBundles.define },
  // Bundled CommonJS dependencies still call require() (ajv's runtime).
  banner: { js: "import { createRequire as __tscomposeCreateRequire } from 'node:module'; const require = __tscomposeCreateRequire(import.meta.url);" },
}));
withoutLazyPackages(await build({ ...commonJs, entryPoints: { index: 'src/index.ts' } }));

// One typical run writes the code cache: the functions it compiled are cached with the script.
// `plan` against an engine of the build's own that holds nothing (a ping and four empty lists)
// runs the loader, the snapshot's reader and the planner, as an `up` does: against no engine at
// all the reader's functions were compiled on every `up` (1.5-2 ms of CPU of an unchanged up of 40).
const emptyEngine = await engineWithNothing(join(tmpdir(), `tscompose-build-${process.pid}.sock`));
try {
  await promisify(execFile)(process.execPath, [join(root, 'bin', 'tscompose.cjs'), '-f', join(root, 'examples', 'demo', 'compose.yaml'), 'plan'], {
    cwd: root,
    env: { ...process.env, TSCOMPOSE_WRITE_CODE_CACHE: '1', DOCKER_HOST: `unix://${emptyEngine.path}` },
  });
} finally {
  emptyEngine.close();
}

// The library's declarations in one file, the public API only (internal members are marked
// @internal and stripped): a consumer type-checks it without any of our dependencies' types.
const [declarations] = generateDtsBundle(
  [{ filePath: join(root, 'src', 'index.ts'), output: { noBanner: true, exportReferencedTypes: false } }],
  { preferredConfigPath: join(root, 'tsconfig.json') },
);
// Node's own modules are typed by @types/node, which a TypeScript consumer on Node has.
const imported = declarations.match(/^import .* from ['"](?!node:)[^'"]+['"];$/gm);
if (imported) throw new Error(`the public declarations import other packages' types, which a consumer does not have:\n${imported.join('\n')}`);
writeFileSync(join(root, 'dist', 'index.d.ts'), declarations);
// The same declarations for `require`: in a "type": "module" package a .d.ts describes ES modules only.
copyFileSync(join(root, 'dist', 'index.d.ts'), join(root, 'dist', 'index.d.cts'));

/** Fails the build when a bundle of ours carries a package that has a bundle of its own: an import of it slipped past src/lazy-package.ts. */
function withoutLazyPackages({ metafile }) {
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    const carried = LAZY_PACKAGES.filter((name) => Object.keys(inputs).some((input) => input.startsWith(`node_modules/${name}/`)));
    if (carried.length > 0) throw new Error(`${output} carries ${carried.join(', ')}, which load on first use from a bundle of their own: import them through src/lazy-package.ts`);
  }
}

/** An Engine API on a unix socket that answers the snapshot's reads with nothing, and anything else with 404. */
function engineWithNothing(path) {
  rmSync(path, { force: true });
  const answers = { '/_ping': 'OK', '/containers/json': '[]', '/networks': '[]', '/volumes': '{"Volumes":[],"Warnings":null}', '/images/json': '[]' };
  const server = createServer((socket) => {
    let received = '';
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      received += chunk;
      for (let end = received.indexOf('\r\n\r\n'); end >= 0; end = received.indexOf('\r\n\r\n')) {
        const target = received.slice(0, end).split(' ')[1].replace(/^\/v[\d.]+/, '').split('?')[0];
        received = received.slice(end + 4);
        const body = answers[target] ?? '{"message":"not in the build\'s engine"}';
        socket.write(`HTTP/1.1 ${target in answers ? '200 OK' : '404 Not Found'}\r\nApi-Version: 1.41\r\nContent-Type: ${target === '/_ping' ? 'text/plain' : 'application/json'}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      }
    });
  });
  return new Promise((resolve) => server.listen(path, () => resolve({ path, close: () => server.close() })));
}
