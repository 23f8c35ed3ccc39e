// Benchmark: tscompose's up -d and down against the engine floor, interleaved round by round on
// one engine: 40 flat services, 20 on 3 networks in chains of 4, 100 flat services (busybox
// `sleep`, which ignores SIGTERM, stop_grace_period: 1s). The floor is the least any client must
// ask of the engine for the same result, straight through dockerode:
// - up: the networks, then every container created (8 at once) and started as soon as it is
//   created and the containers it depends on have started;
// - down: every container stopped and removed, at most STOPS_PER_NETWORK of one network's
//   containers stopping at once (Docker 20.10 loses count of a network's endpoints when more of
//   them exit together, and then cannot remove the network: see "Reliability" in
//   docs/benchmarks.md, so no safe schedule stops more), then the networks removed.
// Usage: node bench/floor.mjs [--runs N] [--cases flat40,chain20,flat100] [--json FILE]   (after npm run build)
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const Docker = require('dockerode');
const docker = new Docker();
const option = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const RUNS = Number(option('--runs', '3'));
const CASES = option('--cases', 'flat40,chain20,flat100').split(',');
const JSON_OUT = option('--json', undefined);
const TSCOMPOSE = join(root, 'bin', 'tscompose');
const IMAGE = 'tscompose/busybox:latest';
const CREATES_AT_ONCE = 8;
const STOPS_PER_NETWORK = 4;

/** A case as services: name, networks, the service it depends on. */
function flat(count) {
  return { services: Array.from({ length: count }, (_, i) => ({ name: `s${i}`, networks: ['default'], after: undefined })), networks: ['default'] };
}
function chains() {
  const services = [];
  for (let chain = 0; chain < 5; chain++) {
    for (let depth = 0; depth < 4; depth++) services.push({ name: `c${chain}d${depth}`, networks: [`n${depth % 3}`, `n${(depth + 1) % 3}`], after: depth > 0 ? `c${chain}d${depth - 1}` : undefined });
  }
  return { services, networks: ['n0', 'n1', 'n2'] };
}
const DEFINITIONS = { flat40: () => flat(40), chain20: chains, flat100: () => flat(100) };

function composeFile({ services, networks }) {
  const lines = ['services:'];
  for (const service of services) {
    lines.push(`  ${service.name}:`, `    image: ${IMAGE}`, '    command: ["sleep", "600"]', '    stop_grace_period: 1s');
    if (!(networks.length === 1 && networks[0] === 'default')) lines.push(`    networks: [${service.networks.join(', ')}]`);
    if (service.after) lines.push('    depends_on:', `      ${service.after}:`, '        condition: service_started');
  }
  if (!(networks.length === 1 && networks[0] === 'default')) lines.push('networks:', ...networks.map((network) => `  ${network}: {}`));
  return lines.join('\n') + '\n';
}

function tscompose(dir, project, args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(TSCOMPOSE, ['-p', project, '--progress', 'quiet', ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true' } });
  if (result.status !== 0) throw new Error(`tscompose ${args.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function bounded(items, limit, work) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

/** The floor's up: seconds, and what its down needs. */
async function floorUp({ services, networks }, label) {
  const start = process.hrtime.bigint();
  const networkIds = Object.fromEntries(await Promise.all(networks.map(async (network) => [network, (await docker.createNetwork({ Name: `${label}_${network}`, Labels: { 'tscompose.bench': label } })).id])));
  const started = new Map(services.map((service) => [service.name, deferred()]));
  await bounded(services, CREATES_AT_ONCE, async (service) => {
    const [first, ...rest] = service.networks;
    const container = await docker.createContainer({
      name: `${label}-${service.name}`,
      Image: IMAGE,
      Cmd: ['sleep', '600'],
      Labels: { 'tscompose.bench': label },
      StopTimeout: 1,
      HostConfig: { NetworkMode: `${label}_${first}` },
      NetworkingConfig: { EndpointsConfig: { [`${label}_${first}`]: { Aliases: [service.name] } } },
    });
    for (const network of rest) await docker.getNetwork(networkIds[network]).connect({ Container: container.id, EndpointConfig: { Aliases: [service.name] } });
    // Started once what it depends on has started, without holding a create slot meanwhile.
    const after = service.after ? started.get(service.after).promise : Promise.resolve();
    after.then(() => container.start()).then(started.get(service.name).resolve, started.get(service.name).reject);
  });
  await Promise.all([...started.values()].map((entry) => entry.promise));
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, networkIds };
}

/** The floor's down: stops in lanes of STOPS_PER_NETWORK per network (dependents first), each container removed once stopped, then the networks. */
async function floorDown({ services }, label, networkIds) {
  const start = process.hrtime.bigint();
  const stops = new Map();
  const removals = [];
  const lanes = new Map();
  // Each stop waits for its dependents' stops and for the stop STOPS_PER_NETWORK places before it on each of its networks.
  for (const service of [...services].reverse()) {
    const dependents = services.filter((other) => other.after === service.name).map((other) => stops.get(other.name));
    const lanesBefore = service.networks.map((network) => (lanes.get(network) ?? []).at(-STOPS_PER_NETWORK)).filter(Boolean);
    const container = docker.getContainer(`${label}-${service.name}`);
    const stop = Promise.all([...dependents, ...lanesBefore]).then(() => container.stop({ t: 1 }));
    stops.set(service.name, stop);
    removals.push(stop.then(() => container.remove()));
    for (const network of service.networks) lanes.set(network, [...(lanes.get(network) ?? []), stop]);
  }
  await Promise.all(removals);
  await Promise.all(Object.values(networkIds).map((id) => docker.getNetwork(id).remove()));
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rows = [];
const loads = [loadavg()[0]];
for (const name of CASES) {
  const definition = DEFINITIONS[name]();
  const dir = join(tmpdir(), 'tscompose-bench-floor', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), composeFile(definition));
  const series = { up: [], down: [], floorUp: [], floorDown: [] };
  for (let run = 0; run < RUNS; run++) {
    const project = `benchfloor${name}`;
    series.up.push(tscompose(dir, project, ['up', '-d']));
    series.down.push(tscompose(dir, project, ['down']));
    const label = `benchfloor-${name}-${Date.now()}`;
    const up = await floorUp(definition, label);
    series.floorUp.push(up.seconds);
    series.floorDown.push(await floorDown(definition, label, up.networkIds));
    loads.push(loadavg()[0]);
    console.error(`${name} run ${run + 1}: up ${series.up.at(-1).toFixed(2)} s (floor ${up.seconds.toFixed(2)}), down ${series.down.at(-1).toFixed(2)} s (floor ${series.floorDown.at(-1).toFixed(2)})`);
  }
  rows.push({ name, series });
}

console.log(`median of ${RUNS} interleaved runs (load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)})\n`);
console.log('| case | up | floor | ÷ floor | down | floor | ÷ floor |');
console.log('|---|---|---|---|---|---|---|');
for (const { name, series } of rows) {
  const [up, floorUpTime, down, floorDownTime] = [series.up, series.floorUp, series.down, series.floorDown].map(median);
  console.log(`| ${name} | ${up.toFixed(2)} s | ${floorUpTime.toFixed(2)} s | ${(up / floorUpTime).toFixed(2)}× | ${down.toFixed(2)} s | ${floorDownTime.toFixed(2)} s | ${(down / floorDownTime).toFixed(2)}× |`);
}
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ runs: RUNS, load: [Math.min(...loads), Math.max(...loads)], rows: rows.map(({ name, series }) => ({ name, series, up: median(series.up), floorUp: median(series.floorUp), down: median(series.down), floorDown: median(series.floorDown) })) }));
