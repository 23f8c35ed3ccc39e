// Benchmark: what every command pays at start, before and after a change. Two builds of tscompose
// side by side, interleaved (the order swapped every round), on `--version` (process start and
// code loading), `config -q` of a 3-service file and the unchanged `up -d` of 40 busybox services
// (brought up once, taken down at the end). Per command the median wall clock and the median CPU
// time of the process (perf stat task-clock, from a second run: less bent by a busy machine).
// Usage: node bench/startup.mjs --baseline path/to/other/bin/tscompose [--runs N] [--project-prefix P]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const option = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const RUNS = Number(option('--runs', '15'));
const BASELINE = option('--baseline', undefined);
const PROJECT = `${option('--project-prefix', 'bench')}startup40`;
if (!BASELINE) throw new Error('--baseline path/to/other/bin/tscompose is required');
const builds = { before: BASELINE, after: join(root, 'bin', 'tscompose') };

function stack(count) {
  const lines = ['services:'];
  for (let i = 0; i < count; i++) lines.push(`  s${i}:`, '    image: tscompose/busybox:latest', '    command: ["sleep", "600"]', '    stop_grace_period: 1s');
  return lines.join('\n') + '\n';
}
const dir = (name, count) => {
  const path = join(tmpdir(), 'tscompose-bench-startup', name);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'compose.yaml'), stack(count));
  return path;
};
const small = dir('services-3', 3);
const flat = dir('services-40', 40);
const commands = {
  '--version': { cwd: small, args: ['--version'] },
  'config -q (3 services)': { cwd: small, args: ['config', '-q'] },
  'unchanged up -d (40 services)': { cwd: flat, args: ['-p', PROJECT, '--progress', 'quiet', 'up', '-d'] },
};
const perfOut = join(tmpdir(), 'tscompose-bench-startup', 'perf.txt');

function spawn(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
}

function measure(bin, { cwd, args }) {
  const start = process.hrtime.bigint();
  spawn(bin, args, cwd);
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  spawn('perf', ['stat', '-x,', '-e', 'task-clock', '-o', perfOut, bin, ...args], cwd);
  const cpu = Number(readFileSync(perfOut, 'utf8').trim().split('\n').at(-1).split(',')[0]);
  return { wall, cpu };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const times = {};
const loads = [];
spawn(builds.after, ['-p', PROJECT, '--progress', 'quiet', 'up', '-d'], flat);
try {
  for (let run = 0; run < RUNS; run++) {
    loads.push(loadavg()[0]);
    const order = run % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
    for (const [name, command] of Object.entries(commands)) for (const build of order) ((times[name] ??= {})[build] ??= []).push(measure(builds[build], command));
  }
} finally {
  spawn(builds.after, ['-p', PROJECT, '--progress', 'quiet', 'down'], flat);
}
console.log(`median of ${RUNS} interleaved runs, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}\n`);
console.log('| command | before (wall) | after (wall) | after ÷ before | before (CPU) | after (CPU) |');
console.log('|---|---|---|---|---|---|');
for (const [name, { before, after }] of Object.entries(times)) {
  const [bw, aw, bc, ac] = [before.map((t) => t.wall), after.map((t) => t.wall), before.map((t) => t.cpu), after.map((t) => t.cpu)].map(median);
  console.log(`| ${name} | ${bw.toFixed(1)} ms | ${aw.toFixed(1)} ms | ${(aw / bw).toFixed(2)} | ${bc.toFixed(1)} ms | ${ac.toFixed(1)} ms |`);
}
for (const [name, runs] of Object.entries(times)) for (const build of ['before', 'after']) console.error(`${name}, ${build} (ms): ${runs[build].map((t) => t.wall.toFixed(0)).join('/')}`);
