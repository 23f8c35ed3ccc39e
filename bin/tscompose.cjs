'use strict';
// Loads the bundled CLI through a V8 code cache made at build time, so that a run does not
// spend its first tens of milliseconds compiling code that was already compiled once.
// A cache from another Node version is rejected by V8 and the bundle is compiled as usual.
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const bundle = join(__dirname, '..', 'dist', 'cli.cjs');
const cachePath = `${bundle}.v8-cache`;
let cachedData;
try {
  cachedData = readFileSync(cachePath);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
const module_ = { exports: {} };
script.runInThisContext().call(module_.exports, module_.exports, Module.createRequire(bundle), module_, bundle, dirname(bundle));

module_.exports.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  if (process.env.TSCOMPOSE_WRITE_CODE_CACHE) writeFileSync(cachePath, script.createCachedData());
});
