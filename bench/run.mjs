// Issue 18's targets in one run: runs each bench that measures one (one after another, never two
// at once), then prints every target beside what was measured, its floor or peer, and the load
// the machine was under while it ran. `npm run bench` (after `npm run build`, with an engine).
// Usage: node bench/run.mjs [--quick] [--without-docker-compose] [--only config,unchanged,memory,floor]
//   --quick: fewer rounds (a look, not a figure to write down).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const option = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const QUICK = process.argv.includes('--quick');
const PEER = !process.argv.includes('--without-docker-compose');
const ONLY = option('--only', 'config,unchanged,memory,floor').split(',');
const out = mkdtempSync(join(tmpdir(), 'tscompose-bench-run-'));

/** Runs one bench script, its tables on stderr as it goes; returns what it wrote to its --json file. */
function bench(script, args) {
  const json = join(out, `${script}-${args.join('').replace(/\W+/g, '')}.json`);
  console.error(`\n== node bench/${script} ${args.join(' ')}   (${new Date().toISOString().slice(11, 19)}, load ${loadavg()[0].toFixed(1)})`);
  const result = spawnSync(process.execPath, [join(here, script), ...args, '--json', json], { stdio: ['ignore', process.stderr, 'inherit'] });
  if (result.status !== 0) throw new Error(`bench/${script} failed (exit ${result.status})`);
  return JSON.parse(readFileSync(json, 'utf8'));
}

const rows = [];
/** A target, what was measured, and whether it is met. */
const target = (name, measured, met, where, load) => rows.push({ name, measured, met, where, load });
const s = (seconds) => `${seconds.toFixed(3)} s`;
const ms = (seconds) => `${(seconds * 1000).toFixed(0)} ms`;
const range = ([low, high]) => `${low.toFixed(1)}–${high.toFixed(1)}`;
const started = new Date();

if (ONLY.includes('unchanged')) {
  const runs = QUICK ? '3' : '7';
  // docker-compose 1.29's first `up -d` of 100 services hangs on this engine: the peer runs at 40 only.
  const forty = bench('unchanged-up.mjs', ['--runs', runs, '--sizes', '40', ...(PEER ? [] : ['--without-docker-compose'])]).results[0];
  const hundred = bench('unchanged-up.mjs', ['--runs', runs, '--sizes', '100', '--without-docker-compose']).results[0];
  const where = 'bench/unchanged-up.mjs';
  if (PEER) {
    const ratio = forty.medians['docker-compose 1.29'] / forty.medians.tscompose;
    target('unchanged up of 40 ≥ 8× docker-compose 1.29', `${s(forty.medians.tscompose)} against ${s(forty.medians['docker-compose 1.29'])}: ${ratio.toFixed(1)}×`, ratio >= 8, where, forty.load);
  }
  const over40 = forty.medians.tscompose - forty.medians['tscompose --version'];
  target('… of 40 within 0.1 s of --version', `${s(forty.medians.tscompose)} − ${s(forty.medians['tscompose --version'])} = ${s(over40)}`, over40 <= 0.1, where, forty.load);
  const over100 = hundred.medians.tscompose - hundred.medians['tscompose --version'];
  target('unchanged up of 100 within 0.15 s of --version', `${s(hundred.medians.tscompose)} − ${s(hundred.medians['tscompose --version'])} = ${s(over100)}`, over100 <= 0.15, where, hundred.load);
}

if (ONLY.includes('config')) {
  const config = bench('config.mjs', ['--runs', QUICK ? '5' : '15']);
  const where = 'bench/config.mjs';
  const [three, thousand] = [3, 1000].map((count) => config.rows.find((row) => row.count === count));
  const overFloor = thousand.ours / thousand.floor;
  target('config -q of 1000 ≤ 1.3× its floor (node + parse + validate)', `${ms(thousand.ours)} against ${ms(thousand.floor)}: ${overFloor.toFixed(2)}×`, overFloor <= 1.3, where, config.load);
  const peer1000 = thousand.theirs / thousand.ours;
  target('… ≥ 6× docker-compose 1.29', `${ms(thousand.ours)} against ${ms(thousand.theirs)}: ${peer1000.toFixed(1)}×`, peer1000 >= 6, where, config.load);
  const peer3 = three.theirs / three.ours;
  target('config -q of 3 ≥ 5× docker-compose 1.29', `${ms(three.ours)} against ${ms(three.theirs)}: ${peer3.toFixed(1)}×`, peer3 >= 5, where, config.load);
}

if (ONLY.includes('memory')) {
  const memory = bench('plan-memory.mjs', ['--runs', QUICK ? '1' : '3']);
  const where = 'bench/plan-memory.mjs';
  const bySize = Object.fromEntries(memory.rows.map((row) => [row.count, row]));
  const largest = bySize[10000];
  target('plan of 10,000 services under 250 MB peak', `${largest.plan.peak.toFixed(0)} MB (the largest of ${memory.runs}; median ${largest.plan.megabytes.toFixed(0)} MB)`, largest.plan.peak < 250, where, memory.load);
  // Linear: what each service adds from 1000 to 5000 and from 5000 to 10,000 stays about the same.
  const perService = (from, to, pick) => (pick(bySize[to]) - pick(bySize[from])) / (to - from);
  const growth = (pick, unit, scale) => [perService(1000, 5000, pick), perService(5000, 10000, pick)].map((value) => `${(value * scale).toFixed(1)} ${unit}`).join(' then ');
  const timeRatio = perService(5000, 10000, (row) => row.plan.seconds) / perService(1000, 5000, (row) => row.plan.seconds);
  const memoryRatio = perService(5000, 10000, (row) => row.plan.megabytes) / perService(1000, 5000, (row) => row.plan.megabytes);
  target(
    '… linear growth (per service from 1000 to 5000, then to 10,000)',
    `time ${growth((row) => row.plan.seconds, 'ms', 1000)}; memory ${growth((row) => row.plan.megabytes, 'KB', 1024)} (${memory.rows.map((row) => `${row.count}: ${row.plan.seconds.toFixed(2)} s, ${row.plan.megabytes.toFixed(0)} MB`).join('; ')})`,
    timeRatio <= 1.5 && memoryRatio <= 1.5,
    where,
    memory.load,
  );
}

if (ONLY.includes('floor')) {
  const floor = bench('floor.mjs', ['--runs', QUICK ? '1' : '3']);
  for (const row of floor.rows) {
    const up = row.up / row.floorUp;
    const down = row.down / row.floorDown;
    target(`up and down of ${row.name} within 1.05× the engine floor`, `up ${row.up.toFixed(2)} s against ${row.floorUp.toFixed(2)} s: ${up.toFixed(2)}×; down ${row.down.toFixed(2)} s against ${row.floorDown.toFixed(2)} s: ${down.toFixed(2)}×`, up <= 1.05 && down <= 1.05, 'bench/floor.mjs', floor.load);
  }
}

console.log(`Issue 18's targets, ${started.toISOString().slice(0, 16)}–${new Date().toISOString().slice(11, 16)} UTC, node ${process.version}${QUICK ? ', --quick (fewer rounds)' : ''}; medians of interleaved rounds\n`);
console.log('| target | measured | met | bench | load average |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.name} | ${row.measured} | ${row.met ? 'yes' : '**no**'} | \`${row.where}\` | ${range(row.load)} |`);
process.exitCode = rows.every((row) => row.met) ? 0 : 1;
