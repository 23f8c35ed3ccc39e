'use strict';
// Loads the bundled CLI, and the engine client when a command needs it, through V8 code caches
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
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  loaded.push({ script, cachePath });
  const module_ = { exports: {} };
  script.runInThisContext().call(module_.exports, module_.exports, requireFromBundle, module_, file, dirname(file));
  return module_.exports;
}

// The CLI requires the engine client (dist/dockerode.cjs) on first use: that goes through the cache too.
const cliFile = join(dist, 'cli.cjs');
const requireFromCli = Module.createRequire(cliFile);
let dockerode;
const cliRequire = Object.assign((id) => (id === './dockerode.cjs' ? (dockerode ??= loadBundle(join(dist, 'dockerode.cjs'))) : requireFromCli(id)), requireFromCli);

loadBundle(cliFile, cliRequire)
  .main(process.argv.slice(2))
  .then(async (code) => {
    process.exitCode = code;
    if (process.env.TSCOMPOSE_WRITE_CODE_CACHE) {
      // The build's run may never need the engine client: it is loaded, and made to fail one call, for its cache.
      const { Docker } = cliRequire('./dockerode.cjs');
      await new Docker({ socketPath: join(dist, 'no-engine.sock') }).ping().catch(() => {});
      for (const { script, cachePath } of loaded) writeFileSync(cachePath, script.createCachedData());
    }
  });
