// Benchmark: `config -q` as a whole cold process, tscompose side by side with Debian's
// docker-compose 1.29 on the same files in the same run. Prints a Markdown table.
// Usage: node bench/config.mjs [--runs N]
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeProject } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
const TSCOMPOSE = join(root, 'bin', 'tscompose');

function ensureDockerCompose() {
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return 'docker-compose';
  console.error('bench: installing Debian docker-compose (1.29) for comparison');
  execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null'], { stdio: 'inherit' });
  return 'docker-compose';
}

/** Wall-clock seconds of one cold process, which must succeed. */
function timeOnce(command, args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: process.env });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}: ${result.stderr}`);
  return seconds;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(command, args, cwd) {
  timeOnce(command, args, cwd); // warm the page cache, not the process
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(timeOnce(command, args, cwd));
  return { median: median(times), min: Math.min(...times) };
}

if (!existsSync(join(root, 'dist', 'cli.cjs'))) {
  console.error('bench: dist/ is missing, run `npm run build` first');
  process.exit(1);
}
const dockerCompose = ensureDockerCompose();
const composeVersion = execFileSync(dockerCompose, ['version', '--short'], { encoding: 'utf8' }).trim();
const out = join(root, 'bench', 'out');
const rows = [];
for (const [name, count] of [['services-3', 3], ['services-1000', 1000]]) {
  const dir = writeProject(out, name, count);
  const ours = measure(TSCOMPOSE, ['config', '-q'], dir);
  const theirs = measure(dockerCompose, ['config', '-q'], dir);
  rows.push({ name, count, ours, theirs, ratio: theirs.median / ours.median });
}

console.log(`config -q, cold process, median of ${RUNS} runs (node ${process.version}, docker-compose ${composeVersion}, NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'})\n`);
console.log('| file | tscompose | docker-compose 1.29 | ratio |');
console.log('|---|---|---|---|');
for (const row of rows) {
  console.log(`| ${row.count} services | ${(row.ours.median * 1000).toFixed(0)} ms | ${(row.theirs.median * 1000).toFixed(0)} ms | ${row.ratio.toFixed(1)}× |`);
}
