// Benchmark: up and down on the real engine, tscompose side by side with Debian's docker-compose
// 1.29 in the same run, plus the engine floor (create+start of the same containers straight
// through dockerode at the best concurrency). Prints a Markdown table.
// Usage: node bench/engine.mjs [--runs N]   (after npm run build, with an engine running)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const Docker = require('dockerode');
const docker = new Docker();
const TSCOMPOSE = join(root, 'bin', 'tscompose');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const IMAGE = 'tscompose/busybox:latest';

function flatStack(count) {
  const lines = ['services:'];
  for (let i = 0; i < count; i++) lines.push(`  s${i}:`, `    image: ${IMAGE}`, '    command: ["sleep", "600"]', '    stop_grace_period: 1s');
  return lines.join('\n') + '\n';
}

/** 20 services on 3 networks, in 5 chains of depth 4 (each service depends on the one before it). */
function chainedStack() {
  const lines = ['services:'];
  for (let chain = 0; chain < 5; chain++) {
    for (let depth = 0; depth < 4; depth++) {
      lines.push(`  c${chain}d${depth}:`, `    image: ${IMAGE}`, '    command: ["sleep", "600"]', '    stop_grace_period: 1s', `    networks: [n${depth % 3}, n${(depth + 1) % 3}]`);
      if (depth > 0) lines.push('    depends_on:', `      c${chain}d${depth - 1}:`, '        condition: service_started');
    }
  }
  lines.push('networks:', '  n0: {}', '  n1: {}', '  n2: {}');
  return lines.join('\n') + '\n';
}

function project(name, text) {
  const dir = join(tmpdir(), 'tscompose-bench-engine', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), text);
  return dir;
}

function timed(command, args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const tools = {
  tscompose: (dir, p, args) => timed(TSCOMPOSE, ['-p', p, '--progress', 'quiet', ...args], dir),
  'docker-compose': (dir, p, args) => timed('docker-compose', ['-p', p, ...args], dir),
};

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * The engine floor: what up of the flat stack must do at least — one network, then create+start
 * `count` containers on it straight through dockerode, `concurrency` at once.
 */
async function floor(count, concurrency) {
  const label = `tscompose-bench-floor-${Date.now()}`;
  const names = Array.from({ length: count }, (_, i) => `${label}-${i}`);
  const start = process.hrtime.bigint();
  const network = await docker.createNetwork({ Name: label, Labels: { 'tscompose.bench': label } });
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < names.length) {
      const name = names[next++];
      const container = await docker.createContainer({
        name,
        Image: IMAGE,
        Cmd: ['sleep', '600'],
        Labels: { 'tscompose.bench': label },
        StopTimeout: 1,
        HostConfig: { NetworkMode: label },
        NetworkingConfig: { EndpointsConfig: { [label]: { Aliases: [name] } } },
      });
      await container.start();
    }
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await Promise.all(names.map((name) => docker.getContainer(name).remove({ force: true })));
  // A force-removed running container can hold its endpoint a moment longer.
  for (let attempt = 0; ; attempt++) {
    try {
      await network.remove();
      break;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return seconds;
}

function ensureDockerCompose() {
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return;
  execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null'], { stdio: 'inherit' });
}

ensureDockerCompose();
const flat = project('flat40', flatStack(40));
const chained = project('chained20', chainedStack());
const results = {};
const record = (key, tool, seconds) => ((results[key] ??= {})[tool] ??= []).push(seconds);

for (let run = 0; run < RUNS; run++) {
  for (const [tool, runTool] of Object.entries(tools)) {
    const p = `bench${tool === 'tscompose' ? 'ts' : 'dc'}`;
    record('flat 40: up', tool, runTool(flat, `${p}flat`, ['up', '-d']));
    record('flat 40: second up (unchanged)', tool, runTool(flat, `${p}flat`, ['up', '-d']));
    record('flat 40: down', tool, runTool(flat, `${p}flat`, ['down']));
    record('20 on 3 networks, depth 4: up', tool, runTool(chained, `${p}chain`, ['up', '-d']));
    runTool(chained, `${p}chain`, ['down']);
    console.error(`run ${run + 1} ${tool}: ${Object.entries(results).map(([key, byTool]) => `${key} ${byTool[tool].at(-1).toFixed(2)} s`).join('; ')}`);
  }
}
const floors = {};
for (const concurrency of [2, 4, 8, 16]) {
  const times = [];
  for (let run = 0; run < RUNS; run++) times.push(await floor(40, concurrency));
  floors[concurrency] = median(times);
}
const best = Math.min(...Object.values(floors));

console.log(`median of ${RUNS} runs; engine floor for 40 create+start: ${Object.entries(floors).map(([c, s]) => `${s.toFixed(2)} s at ${c}`).join(', ')}\n`);
console.log('| case | tscompose | docker-compose 1.29 | ratio | vs engine floor |');
console.log('|---|---|---|---|---|');
for (const [key, byTool] of Object.entries(results)) {
  const ours = median(byTool.tscompose);
  const theirs = median(byTool['docker-compose']);
  const vsFloor = key === 'flat 40: up' ? `${(ours / best).toFixed(2)}×` : '';
  console.log(`| ${key} | ${ours.toFixed(2)} s | ${theirs.toFixed(2)} s | ${(theirs / ours).toFixed(1)}× | ${vsFloor} |`);
}
