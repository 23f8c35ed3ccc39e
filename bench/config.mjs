// Benchmark: `config -q` as a whole cold process, tscompose side by side with its floor (node
// reading, parsing and validating the file, bench/config-floor.mjs) and Debian's docker-compose
// 1.29, on the same files, interleaved in one run. Prints a Markdown table.
// Usage: node bench/config.mjs [--runs N] [--json FILE]   (--json: the figures for bench/run.mjs as well)
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeProject } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
const TSCOMPOSE = join(root, 'bin', 'tscompose');
const jsonArg = process.argv.indexOf('--json');
const JSON_OUT = jsonArg > 0 ? process.argv[jsonArg + 1] : undefined;

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

if (!existsSync(join(root, 'dist', 'cli.cjs'))) {
  console.error('bench: dist/ is missing, run `npm run build` first');
  process.exit(1);
}
const floor = join(root, 'bench', 'out', 'config-floor.cjs');
mkdirSync(dirname(floor), { recursive: true });
await build({ entryPoints: [join(root, 'bench', 'config-floor.mjs')], bundle: true, minify: true, platform: 'node', target: 'node20', format: 'cjs', outfile: floor, logLevel: 'warning' });
const dockerCompose = ensureDockerCompose();
const composeVersion = execFileSync(dockerCompose, ['version', '--short'], { encoding: 'utf8' }).trim();
const out = join(root, 'bench', 'out');
const rows = [];
const loads = [loadavg()[0]];
for (const [name, count] of [['services-3', 3], ['services-1000', 1000]]) {
  const dir = writeProject(out, name, count);
  // Interleaved, round by round, so that the machine's changing load falls on all three alike.
  const series = { ours: [], floor: [], theirs: [] };
  for (const [key, command, args] of [['ours', TSCOMPOSE, ['config', '-q']], ['floor', process.execPath, [floor, 'compose.yaml']], ['theirs', dockerCompose, ['config', '-q']]]) timeOnce(command, args, dir);
  for (let i = 0; i < RUNS; i++) {
    series.ours.push(timeOnce(TSCOMPOSE, ['config', '-q'], dir));
    series.floor.push(timeOnce(process.execPath, [floor, 'compose.yaml'], dir));
    series.theirs.push(timeOnce(dockerCompose, ['config', '-q'], dir));
    loads.push(loadavg()[0]);
  }
  const [ours, floorTime, theirs] = [series.ours, series.floor, series.theirs].map(median);
  rows.push({ count, ours, floor: floorTime, theirs, series });
}
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ runs: RUNS, load: [Math.min(...loads), Math.max(...loads)], composeVersion, rows }));

const [load1, load5] = loadavg();
console.log(`config -q, cold process, median of ${RUNS} interleaved runs (node ${process.version}, docker-compose ${composeVersion}, load average ${load1.toFixed(1)} / ${load5.toFixed(1)})\n`);
console.log('| file | floor (node + js-yaml + validator) | tscompose | ÷ floor | docker-compose 1.29 | docker-compose ÷ tscompose |');
console.log('|---|---|---|---|---|---|');
const ms = (seconds) => `${(seconds * 1000).toFixed(0)} ms`;
for (const row of rows) {
  console.log(`| ${row.count} services | ${ms(row.floor)} | ${ms(row.ours)} | ${(row.ours / row.floor).toFixed(2)}× | ${ms(row.theirs)} | ${(row.theirs / row.ours).toFixed(1)}× |`);
}
