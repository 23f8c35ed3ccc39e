// Benchmark: planning time against the number of services, from empty state and against an
// observed state holding the whole project (a second `up`), to show it grows linearly.
// Usage: node bench/plan.mjs   (after npm run build)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeProject } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { load, plan } = await import(join(root, 'dist', 'index.js'));
const out = mkdtempSync(join(tmpdir(), 'tscompose-bench-plan-'));

/** The engine's state after a plan was applied: what a second `up` sees. */
function observedAfter(result) {
  return {
    apiVersion: result.apiVersion,
    networks: result.networks.map((n) => ({ id: n.name, name: n.name, labels: n.request?.Labels ?? {}, driver: n.driver, subnets: n.subnets, containers: [] })),
    containers: result.containers.map((c) => ({
      id: c.name, name: c.name, labels: c.request.Labels, state: 'running',
      networks: Object.fromEntries(c.networks.map((n) => [n.networkName, { aliases: n.aliases }])),
      ports: c.ports.filter((p) => p.hostPort).map((p) => ({ hostIp: p.hostIp, hostPort: Number(p.hostPort), containerPort: p.containerPort, protocol: p.protocol })),
    })),
  };
}

function best(fn, runs = 7) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return min;
}

// Warm the JIT first on a project of its own: otherwise the first size measured carries the
// compilation of the planner (the more code, the more), not its time per service.
{
  const { project } = load({ workingDir: writeProject(out, 'warm-up', 100), environment: {} });
  const observed = observedAfter(plan(project));
  for (let i = 0; i < 30; i++) {
    plan(project);
    plan(project, observed);
  }
}

console.log('| services | ports | plan, empty state | per service | plan, second up | per service |');
console.log('|---|---|---|---|---|---|');
for (const count of [250, 500, 1000, 2000]) {
  const dir = writeProject(out, `services-${count}`, count);
  const { project } = load({ workingDir: dir, environment: {} });
  const first = plan(project);
  const observed = observedAfter(first);
  const ports = first.containers.reduce((sum, c) => sum + c.ports.length, 0);
  const empty = best(() => plan(project));
  const second = best(() => plan(project, observed));
  console.log(`| ${count} | ${ports} | ${empty.toFixed(1)} ms | ${((empty / count) * 1000).toFixed(0)} µs | ${second.toFixed(1)} ms | ${((second / count) * 1000).toFixed(0)} µs |`);
}
