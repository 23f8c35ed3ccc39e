// Benchmark: every hostile file (fixtures/hostile, plus a generated 20 MB file of 277,000
// services with an error at its end) through `tscompose config` as a cold process: wall time and
// peak memory of each, against the targets of issue 16 (under 2 s and 200 MB each).
// Usage: node bench/hostile.mjs [--runs N]   (the slowest of N runs per file counts; default 1)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 1;
const CLI = join(root, 'bin', 'tscompose.cjs');
const PRELOAD = join(root, 'bench', 'rss-on-exit.cjs');
const TARGET = { seconds: 2, megabytes: 200 };
/** As src/loader/read-file.ts; the bench runs the built CLI and does not import the sources. */
const MAX_COMPOSE_FILE_BYTES = 2 * 1024 * 1024;

if (!existsSync(CLI)) {
  console.error('bench: bin/tscompose.cjs is missing, run `npm run build` first');
  process.exit(1);
}

/** Writes bench/out/<name>/compose.yaml from its parts and returns its path. */
function writeGenerated(name, parts) {
  const dir = join(root, 'bench', 'out', name);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'compose.yaml');
  writeFileSync(path, parts.join(''));
  return path;
}

/** The 20 MB file of the issue: 277,000 services, and an invalid port in the last one. */
function hugeFile() {
  const parts = ['services:\n'];
  for (let i = 0; i < 277_000; i++) parts.push(`  s${i}:\n    image: busybox\n    command: [x]\n`);
  parts.push('  last:\n    image: busybox\n    ports: ["99999:80"]\n');
  return writeGenerated('hostile-huge', parts);
}

/** As many services as fit under the size limit (about 100,000 of `{image: x}`, refused at the 10,001st: MAX_SERVICES_PER_FILE), with an error at the end. */
function fullFile() {
  const parts = ['services:\n'];
  let size = parts[0].length;
  for (let i = 0; ; i++) {
    const line = `  s${i}: {image: x}\n`;
    if (size + line.length > MAX_COMPOSE_FILE_BYTES - 64) break;
    parts.push(line);
    size += line.length;
  }
  parts.push('  last: {image: x, ports: ["99999:80"]}\n');
  return writeGenerated('hostile-full', parts);
}

/** 3000 services, each naming a network and a volume that do not exist, among 3000 that do: 6000 errors, each looking for a suggestion. */
function unresolvedFile() {
  const parts = ['services:\n'];
  for (let i = 0; i < 3000; i++) parts.push(`  s${i}:\n    image: x\n    networks: [netx${i}]\n    volumes: ["volx${i}:/d"]\n`);
  parts.push('networks:\n', ...Array.from({ length: 3000 }, (_, i) => `  net${i}: {}\n`));
  parts.push('volumes:\n', ...Array.from({ length: 3000 }, (_, i) => `  vol${i}: {}\n`));
  return writeGenerated('hostile-unresolved', parts);
}

function once(file, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', PRELOAD, CLI, '-f', file, 'config', '-q'], {
    cwd,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/hostile-bench.sock', NO_COLOR: '1' },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const megabytes = Number(result.output[3]?.toString() || 0) / 1024;
  return { seconds, megabytes, status: result.status };
}

const hostile = join(root, 'fixtures', 'hostile');
const cases = [
  ...readdirSync(hostile).filter((name) => name.endsWith('.yaml')).sort().map((name) => ({ name, file: name, cwd: hostile })),
  { name: '(generated) 277,000 services, 20 MB', file: hugeFile(), cwd: root },
  { name: '(generated) 3000 services, 6000 undefined references', file: unresolvedFile(), cwd: root },
  { name: '(generated) 100,000 services, just under the 2 MiB limit (refused at the 10,001st)', file: fullFile(), cwd: root },
];
const results = cases.map(({ name, file, cwd }) => {
  const runs = Array.from({ length: RUNS }, () => once(file, cwd));
  return {
    name,
    seconds: Math.max(...runs.map((run) => run.seconds)),
    megabytes: Math.max(...runs.map((run) => run.megabytes)),
    refused: runs.every((run) => run.status === 1),
  };
});

const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 5);
const hungriest = [...results].sort((a, b) => b.megabytes - a.megabytes).slice(0, 5);
const over = results.filter((r) => r.seconds >= TARGET.seconds || r.megabytes >= TARGET.megabytes);
const accepted = results.filter((r) => !r.refused);
console.log(`hostile input: ${results.length} files, config -q as a cold process, worst of ${RUNS} run(s) each (node ${process.version})\n`);
console.log('| | file | time | peak RSS |');
console.log('|---|---|---|---|');
for (const r of slowest) console.log(`| slowest | ${r.name} | ${(r.seconds * 1000).toFixed(0)} ms | ${r.megabytes.toFixed(0)} MB |`);
for (const r of hungriest) console.log(`| most memory | ${r.name} | ${(r.seconds * 1000).toFixed(0)} ms | ${r.megabytes.toFixed(0)} MB |`);
for (const r of results.slice(-3)) console.log(`| generated | ${r.name} | ${(r.seconds * 1000).toFixed(0)} ms | ${r.megabytes.toFixed(0)} MB |`);
console.log(`\nmax time ${(Math.max(...results.map((r) => r.seconds)) * 1000).toFixed(0)} ms, max RSS ${Math.max(...results.map((r) => r.megabytes)).toFixed(0)} MB (targets: < ${TARGET.seconds} s, < ${TARGET.megabytes} MB)`);
for (const r of over) console.log(`OVER TARGET: ${r.name}`);
for (const r of accepted) console.log(`NOT REFUSED (exit code other than 1): ${r.name}`);
process.exitCode = over.length > 0 || accepted.length > 0 ? 1 : 0;
