// Reliability bench (issue 16): `down` of 100 containers on one network, N times in a row. Docker
// 20.10 could be left with a network it refuses to remove ("has active endpoints") when the
// removals raced; every down must leave nothing labelled. Prints one line per run and a summary;
// exits non-zero when any run failed.
// Usage: node bench/down-race.mjs [--runs N] [--services N] [--project NAME]   (after npm run build)
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TSCOMPOSE = join(root, 'bin', 'tscompose');
const argument = (name, fallback) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const RUNS = argument('--runs', 20);
const SERVICES = argument('--services', 100);
const PROJECT = process.argv.includes('--project') ? process.argv[process.argv.indexOf('--project') + 1] : 'tscompose-bench-down-race';

const lines = ['services:'];
for (let i = 0; i < SERVICES; i++) lines.push(`  s${i}:`, '    image: tscompose/busybox:latest', '    command: ["sleep", "600"]', '    stop_grace_period: 1s');
const dir = join(tmpdir(), 'tscompose-bench-down-race', PROJECT);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'compose.yaml'), lines.join('\n') + '\n');

const tscompose = (...args) => spawnSync(TSCOMPOSE, ['-p', PROJECT, '--progress', 'quiet', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
const labelled = () =>
  ['ps -aq', 'network ls -q'].flatMap((command) => {
    const result = spawnSync('docker', [...command.split(' '), '--filter', `label=com.docker.compose.project=${PROJECT}`], { encoding: 'utf8' });
    return result.stdout.split('\n').filter(Boolean);
  });

let failures = 0;
for (let run = 1; run <= RUNS; run++) {
  const upped = tscompose('up', '-d');
  if (upped.status !== 0) throw new Error(`up failed before run ${run}: ${upped.stderr}`);
  const started = process.hrtime.bigint();
  const downed = tscompose('down');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const left = labelled();
  const failed = downed.status !== 0 || left.length > 0;
  if (failed) failures++;
  console.log(`run ${run}: down of ${SERVICES} in ${seconds.toFixed(2)} s, ${failed ? `FAILED (exit ${downed.status}, ${left.length} labelled left): ${downed.stderr.trim().split('\n')[0]}` : 'nothing left'}`);
  // A failed run is cleaned so that the next one starts from nothing.
  if (left.length > 0) tscompose('down');
}
console.log(`${failures} failures in ${RUNS} downs of ${SERVICES} containers`);
process.exitCode = failures > 0 ? 1 : 0;
