// Benchmark: time and peak memory of `plan --format json` and `config -q` as whole processes, by
// number of services (100, 1000, 5000, 10,000: the generated project of bench/generate.mjs, in
// files of at most 2500 services each, under the per-file limits). The plan is read through a
// pipe, as a program reading it would; it observes the engine at DOCKER_HOST (nothing of these
// projects is on it: every container is planned for creation).
// Usage: node bench/plan-memory.mjs [--runs N] [--sizes 100,1000,5000,10000] [--json FILE]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSplitProject } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const option = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const RUNS = Number(option('--runs', '3'));
const SIZES = option('--sizes', '100,1000,5000,10000').split(',').map(Number);
const CLI = join(root, 'bin', 'tscompose.cjs');
const PRELOAD = join(root, 'bench', 'rss-on-exit.cjs');
const JSON_OUT = option('--json', undefined);

/** One cold process: wall seconds, peak RSS in MB (from bench/rss-on-exit.cjs on fd 3), bytes written to stdout. */
function once(args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', PRELOAD, CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`tscompose ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { seconds, megabytes: Number(result.output[3]?.toString() || 0) / 1024, bytes: result.stdout.length };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const rows = [];
const loads = [loadavg()[0]];
for (const count of SIZES) {
  const { dir, args } = writeSplitProject(join(root, 'bench', 'out'), `plan-memory-${count}`, count);
  const runs = { plan: [], config: [] };
  for (let i = 0; i < RUNS; i++) {
    runs.plan.push(once([...args, 'plan', '--format', 'json'], dir));
    runs.config.push(once([...args, 'config', '-q'], dir));
  }
  const summary = (series) => ({ seconds: median(series.map((run) => run.seconds)), megabytes: median(series.map((run) => run.megabytes)), peak: Math.max(...series.map((run) => run.megabytes)), bytes: series[0].bytes });
  rows.push({ count, plan: summary(runs.plan), config: summary(runs.config) });
  loads.push(loadavg()[0]);
  console.error(`${count} done`);
}

const [load1, load5] = loadavg();
console.log(`plan --format json and config -q, cold processes, median of ${RUNS} (node ${process.version}, load average ${load1.toFixed(1)} / ${load5.toFixed(1)})\n`);
console.log('| services | plan: time | plan: peak RSS (median, max) | JSON out | config -q: time | config -q: peak RSS |');
console.log('|---|---|---|---|---|---|');
for (const { count, plan, config } of rows) {
  console.log(`| ${count} | ${plan.seconds.toFixed(2)} s | ${plan.megabytes.toFixed(0)} MB, ${plan.peak.toFixed(0)} MB | ${(plan.bytes / 1e6).toFixed(1)} MB | ${config.seconds.toFixed(2)} s | ${config.megabytes.toFixed(0)} MB |`);
}
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ runs: RUNS, load: [Math.min(...loads), Math.max(...loads)], rows }));
