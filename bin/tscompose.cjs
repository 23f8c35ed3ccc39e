'use strict';
// Loads the bundled CLI, and the engine client and the packages it requires on first use, through V8 code caches
// made at build time, so that a run does not spend its first tens of milliseconds compiling
// code that was already compiled once. A cache from another Node version is rejected by V8 and
// the bundle is compiled as usual.
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const dist = join(__dirname, '..', 'dist');
/** Every bundle loaded, with where its cache goes: the build's run writes them all. */
const loaded = [];

/** Runs a CommonJS bundle compiled with its code cache, and returns its exports. */
function loadBundle(file, requireFromBundle = Module.createRequire(file)) {
  const cachePath = `${file}.v8-cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  // The bundles are ASCII (esbuild escapes the rest; test/unit/bin.test.ts checks): read as latin1 they are the same
  // text, made without decoding UTF-8, 1-2 ms sooner for the CLI's.
  const script = new vm.Script(Module.wrap(readFileSync(file, 'latin1')), { filename: file, cachedData });
  loaded.push({ script, cachePath });
  const module_ = { exports: {} };
  script.runInThisContext().call(module_.exports, module_.exports, requireFromBundle, module_, file, dirname(file));
  return module_.exports;
}

// The CLI requires the engine client (dist/dockerode.cjs) and packages such as dist/yaml.cjs on first use: they go through the cache too.
const cliFile = join(dist, 'cli.cjs');
const requireFromCli = Module.createRequire(cliFile);
const bundles = new Map();
const cliRequire = Object.assign((id) => {
  if (!/^\.\/[\w-]+\.cjs$/.test(id)) return requireFromCli(id);
  if (!bundles.has(id)) bundles.set(id, loadBundle(join(dist, id)));
  return bundles.get(id);
}, requireFromCli);

loadBundle(cliFile, cliRequire)
  .main(process.argv.slice(2))
  .then(async (code) => {
    process.exitCode = code;
    if (process.env.TSCOMPOSE_WRITE_CODE_CACHE) {
      // The build's run may never need the engine client: it is loaded, and made to fail one call, for its cache.
      const { Docker } = cliRequire('./dockerode.cjs');
      await new Docker({ socketPath: join(dist, 'no-engine.sock') }).ping().catch(() => {});
      // And the packages loaded on first use, each made to do what the commands ask of it.
      const yaml = cliRequire('./yaml.cjs');
      yaml.stringify({ services: { web: { image: 'nginx', ports: ['80:80'] } } }, { aliasDuplicateObjects: false, lineWidth: 0 });
      yaml.parseAllDocuments('services:\n  web:\n   image: [', { uniqueKeys: false, merge: false, prettyErrors: false });
      const tar = cliRequire('./tar-stream.cjs');
      const pack = tar.pack();
      const extract = tar.extract().on('entry', (header, stream, next) => stream.on('end', next).resume());
      pack.pipe(extract);
      pack.entry({ name: 'file', mode: 0o644, mtime: new Date(0) }, 'text');
      pack.finalize();
      await new Promise((resolve) => extract.on('finish', resolve));
      const terminal = Object.assign(new (require('node:stream').Writable)({ write: (chunk, encoding, done) => done() }), { isTTY: true, columns: 80, rows: 24, cursorTo() {}, moveCursor() {}, clearLine() {} });
      const spinner = cliRequire('./ora.cjs').default({ stream: terminal, discardStdin: false }).start('step');
      spinner.text = 'steps';
      spinner.stop();
      for (const { script, cachePath } of loaded) writeFileSync(cachePath, script.createCachedData());
    }
  });
