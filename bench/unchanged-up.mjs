// Benchmark: the unchanged `up` (every container already as planned), the command run again and
// again while developing. Side by side in one run, interleaved: `tscompose --version` (process start
// and code loading, the floor of any command), tscompose's unchanged up, docker-compose 1.29's, and
// with --baseline another build of tscompose (before/after a change).
// Usage: node bench/unchanged-up.mjs [--runs N] [--sizes 40,100] [--baseline path/to/bin/tscompose] [--without-docker-compose] [--project-prefix P] [--json FILE]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const option = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const RUNS = Number(option('--runs', '7'));
const SIZES = option('--sizes', '40,100').split(',').map(Number);
const BASELINE = option('--baseline', undefined);
const PEER = !process.argv.includes('--without-docker-compose');
// Projects of their own for runs that share an engine with other runs of this bench.
const PREFIX = option('--project-prefix', 'bench');
const TSCOMPOSE = join(root, 'bin', 'tscompose');
const JSON_OUT = option('--json', undefined);
const IMAGE = 'tscompose/busybox:latest';

function flatStack(count) {
  const lines = ['services:'];
  for (let i = 0; i < count; i++) lines.push(`  s${i}:`, `    image: ${IMAGE}`, '    command: ["sleep", "600"]', '    stop_grace_period: 1s');
  return lines.join('\n') + '\n';
}

function timed(command, args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (PEER && spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status !== 0) {
  execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null'], { stdio: 'inherit' });
}

const tools = {
  'tscompose --version': () => (dir) => timed(TSCOMPOSE, ['--version'], dir),
  tscompose: (project) => (dir) => timed(TSCOMPOSE, ['-p', `${project}ts`, '--progress', 'quiet', 'up', '-d'], dir),
  ...(BASELINE ? { baseline: (project) => (dir) => timed(BASELINE, ['-p', `${project}ts`, '--progress', 'quiet', 'up', '-d'], dir) } : {}),
  ...(PEER ? { 'docker-compose 1.29': (project) => (dir) => timed('docker-compose', ['-p', `${project}dc`, 'up', '-d'], dir) } : {}),
};

/** Runs every clean-up step even when one fails (an engine's stale endpoint count can refuse a network's removal). */
function cleanUp(...steps) {
  for (const step of steps) {
    try {
      step();
    } catch (error) {
      console.error(`clean-up: ${error.message.split('\n')[0]}`);
    }
  }
}

const names = Object.keys(tools);
const results = [];
console.log(`median of ${RUNS} interleaved runs, each row as it finishes\n`);
console.log(`| services | ${names.join(' | ')} | tscompose − --version | docker-compose ÷ tscompose | load average |`);
console.log(`|---|${names.map(() => '---|').join('')}---|---|---|`);
for (const size of SIZES) {
  const dir = join(tmpdir(), 'tscompose-bench-unchanged', `flat${size}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), flatStack(size));
  const project = `${PREFIX}unchanged${size}`;
  const times = Object.fromEntries(names.map((name) => [name, []]));
  const loads = [];
  try {
    timed(TSCOMPOSE, ['-p', `${project}ts`, '--progress', 'quiet', 'up', '-d'], dir);
    if (PEER) timed('docker-compose', ['-p', `${project}dc`, 'up', '-d'], dir);
    for (let run = 0; run < RUNS; run++) {
      loads.push(loadavg()[0]);
      for (const [name, tool] of Object.entries(tools)) times[name].push(tool(project)(dir));
    }
  } finally {
    cleanUp(() => timed(TSCOMPOSE, ['-p', `${project}ts`, '--progress', 'quiet', 'down'], dir), () => PEER && timed('docker-compose', ['-p', `${project}dc`, 'down'], dir));
  }
  const medians = Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
  const ours = medians.tscompose;
  console.log(`| ${size} | ${names.map((name) => `${medians[name].toFixed(3)} s`).join(' | ')} | ${(ours - medians['tscompose --version']).toFixed(3)} s | ${PEER ? `${(medians['docker-compose 1.29'] / ours).toFixed(1)}×` : '–'} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} |`);
  results.push({ size, medians, times, load: [Math.min(...loads), Math.max(...loads)] });
  console.error(`${size}: ${Object.entries(times).map(([name, values]) => `${name} ${values.map((v) => v.toFixed(2)).join('/')}`).join('; ')}`);
}
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ runs: RUNS, results }));
