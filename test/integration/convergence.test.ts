/**
 * The proof that the plan is the truth: for each transition A → B (test/integration/convergence/
 * transitions.ts), `up` A, record `up --dry-run` of B, `up` B with `--progress json`, then check
 * that (a) the operations run are exactly the dry run's, (b) a following plan of B keeps
 * everything, (c) the engine holds what B describes, and (d) containers the plan keeps were
 * neither replaced nor restarted. Transitions run concurrently, each under its own project name.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load } from '../../src/loader/index.js';
import { LABEL } from '../../src/planner/labels.js';
import type { Plan, PlannedContainer } from '../../src/planner/types.js';
import type { ProgressEvent } from '../../src/progress/events.js';
import { runCli } from '../helpers/cli.js';
import { engineForTests } from '../helpers/engine.js';
import { forceRemoveProject, projectResources } from '../helpers/project.js';
import { IMAGE, OTHER_TAG, transitions, type Transition } from './convergence/transitions.js';

const engine = await engineForTests();
const TRANSITIONS = transitions();
const root = mkdtempSync(join(tmpdir(), 'i11b-convergence-'));
const projectName = (index: number) => `i11b-conv-${index + 1}`;
/** The directory every CLI call runs in: the compose files are given by absolute path, and concurrent calls' chdir to one directory leave it as it was. */
const cwd = process.cwd();

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, cwd);
}

/** The ids of a plan's operations: what the dry run says will run. */
function plannedIds(plan: Plan): string[] {
  return plan.operations.map((op) => op.id).sort();
}

/** The ids of the operations a command ran, from its --progress json events (each reports done once). */
function executedIds(stderr: string): string[] {
  const events = stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as ProgressEvent);
  const failed = events.filter((event) => event.status === 'error');
  expect(failed, JSON.stringify(failed)).toEqual([]);
  return events
    .filter((event) => event.status === 'done' && event.id !== undefined)
    .map((event) => event.id!)
    .sort();
}

interface Seen {
  id: string;
  startedAt: string;
}

async function containersOf(docker: Docker, project: string): Promise<Map<string, Seen>> {
  const { containers } = await projectResources(engine!, project);
  const seen = new Map<string, Seen>();
  for (const name of containers) {
    const details = await docker.getContainer(name).inspect();
    seen.set(name, { id: details.Id, startedAt: details.State.StartedAt });
  }
  return seen;
}

/** (c): every container and network of B on the engine as the plan describes it. */
async function expectEngineHolds(docker: Docker, project: string, plan: Plan, file: string): Promise<void> {
  const model = load({ files: [file], projectName: project, environment: {} }).project;
  const { containers } = await projectResources(engine!, project);
  expect(containers, 'the project has exactly the planned containers').toEqual(plan.containers.map((c) => c.name).sort());
  for (const planned of plan.containers) await expectContainer(docker, planned);
  for (const network of plan.networks) {
    const details = (await docker.getNetwork(network.name).inspect()) as Docker.NetworkInspectInfo & { Internal: boolean };
    const config = model.networks[network.key]!;
    if (network.action === 'external') continue;
    expect(details.Labels, `labels of ${network.name}`).toMatchObject(config.labels ?? {});
    expect(details.Internal, `internal of ${network.name}`).toBe(config.internal ?? false);
    expect(details.Options ?? {}, `driver_opts of ${network.name}`).toMatchObject(config.driver_opts ?? {});
    const subnets = (details.IPAM?.Config ?? []).map((pool) => pool.Subnet);
    for (const subnet of network.subnets) expect(subnets, `subnets of ${network.name}`).toContain(subnet);
  }
}

async function expectContainer(docker: Docker, planned: PlannedContainer): Promise<void> {
  const details = await docker.getContainer(planned.name).inspect();
  const what = (detail: string) => `${planned.name}: ${detail}`;
  expect(details.State.Running, what('running')).toBe(true);
  expect(details.Config.Image, what('image')).toBe(planned.request.Image);
  expect(details.Config.Env, what('environment')).toEqual(expect.arrayContaining(planned.request.Env));
  // The labels that say which configuration it runs. Not config_files (the file it was created
  // from, A or B) nor depends_on: neither is part of the configuration (compose's hash leaves
  // depends_on out too), so a kept container keeps the label it was created with.
  const { [LABEL.configFiles]: _files, [LABEL.dependsOn]: _dependsOn, ...labels } = planned.request.Labels;
  expect(details.Config.Labels, what('labels')).toMatchObject(labels);
  const mode = planned.request.HostConfig.NetworkMode;
  const endpoints = details.NetworkSettings.Networks ?? {};
  if (mode.startsWith('container:')) {
    const joined = await docker.getContainer(mode.slice('container:'.length)).inspect();
    expect([mode, `container:${joined.Id}`], what('network_mode')).toContain(details.HostConfig.NetworkMode);
  } else if (planned.networks.length === 0) {
    expect(details.HostConfig.NetworkMode, what('network_mode')).toBe(mode);
  } else {
    expect(Object.keys(endpoints).sort(), what('networks')).toEqual(planned.networks.map((n) => n.networkName).sort());
    for (const attachment of planned.networks) {
      const endpoint = endpoints[attachment.networkName]!;
      expect(endpoint.Aliases ?? [], what(`aliases on ${attachment.networkName}`)).toEqual(expect.arrayContaining(attachment.aliases));
      if (attachment.ipv4Address) expect(endpoint.IPAddress, what(`address on ${attachment.networkName}`)).toBe(attachment.ipv4Address);
    }
  }
  const bound = details.NetworkSettings.Ports ?? {};
  for (const port of planned.ports) {
    const bindings = bound[`${port.containerPort}/${port.protocol}`] ?? [];
    expect(bindings.length, what(`port ${port.containerPort} published`)).toBeGreaterThan(0);
    if (port.hostPort) expect(bindings.map((b) => b.HostPort), what(`host port of ${port.containerPort}`)).toContain(port.hostPort);
    // A kept container's row shows the port the engine gave it.
    expect(bindings.map((b) => `${b.HostIp}:${b.HostPort}`), what(`fromHost ${port.fromHost}`)).toContain(port.fromHost);
  }
}

function composeFile(dir: string, name: string, document: Record<string, unknown>): string {
  const file = join(dir, name);
  // JSON is YAML: the file is the document as it is.
  writeFileSync(file, JSON.stringify(document, null, 2));
  return file;
}

describe.skipIf(!engine)('convergence: up runs exactly what the dry run shows, and one up reaches the state', () => {
  const docker = engine?.docker;

  beforeAll(async () => {
    const [repo = '', tag = ''] = OTHER_TAG.split(':');
    await docker!.getImage(IMAGE).tag({ repo, tag });
  });

  afterAll(async () => {
    await Promise.allSettled(TRANSITIONS.map((_, index) => forceRemoveProject(engine!, projectName(index))));
    await Promise.allSettled(TRANSITIONS.filter((t) => t.externalNetwork).map((t) => docker!.getNetwork(t.externalNetwork!).remove()));
    await docker!.getImage(OTHER_TAG).remove().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  it('has at least 40 transitions', () => {
    expect(TRANSITIONS.length).toBeGreaterThanOrEqual(40);
  });

  it.concurrent.each(TRANSITIONS.map((transition, index) => [transition.name, transition, index] as const))('%s', async (_name, transition: Transition, index: number) => {
    const project = projectName(index);
    const dir = join(root, project);
    mkdirSync(dir, { recursive: true });
    const fileA = composeFile(dir, 'a.yaml', transition.a);
    const fileB = composeFile(dir, 'b.yaml', transition.b);
    await forceRemoveProject(engine!, project);
    if (transition.externalNetwork) {
      await docker!.getNetwork(transition.externalNetwork).remove().catch(() => undefined);
      await docker!.createNetwork({ Name: transition.externalNetwork, Labels: { 'i11b-convergence': 'external' } });
    }
    const common = (file: string) => ['-f', file, '-p', project];

    const upA = await cli([...common(fileA), '--progress', 'json', 'up', '-d']);
    expect(upA.code, upA.stderr).toBe(0);
    const before = await containersOf(docker!, project);

    const dryRun = await cli([...common(fileB), 'up', '--dry-run', '--remove-orphans', '--format', 'json']);
    expect(dryRun.code, dryRun.stderr + dryRun.stdout).toBe(0);
    const planned = JSON.parse(dryRun.stdout) as Plan;

    const upB = await cli([...common(fileB), '--progress', 'json', 'up', '-d', '--remove-orphans']);
    expect(upB.code, upB.stderr).toBe(0);
    // (a) exactly the operations the dry run printed, by id (no Replan: every image is there).
    expect(executedIds(upB.stderr), 'operations run, by id').toEqual(plannedIds(planned));

    // (b) one up reached B: a further plan keeps everything.
    const again = await cli([...common(fileB), 'plan', '--remove-orphans', '--format', 'json']);
    expect(again.code, again.stderr).toBe(0);
    const second = JSON.parse(again.stdout) as Plan;
    expect(second.operations, 'operations of a second plan').toEqual([]);
    expect(second.containers.filter((c) => c.action !== 'keep').map((c) => `${c.name}: ${c.action} (${c.cause})`)).toEqual([]);
    expect(second.networks.filter((n) => n.action !== 'keep' && n.action !== 'external').map((n) => `${n.name}: ${n.action} (${n.cause})`)).toEqual([]);

    // (c) the engine holds B.
    await expectEngineHolds(docker!, project, second, fileB);

    // (d) what the dry run kept is the same container, not restarted; what it recreated is a new one.
    const after = await containersOf(docker!, project);
    for (const container of planned.containers) {
      const old = before.get(container.name);
      if (container.action === 'keep' && old) {
        expect(after.get(container.name), `${container.name} kept: same id, same start`).toEqual(old);
      }
      if (container.action === 'recreate') expect(after.get(container.name)?.id, `${container.name} recreated`).not.toBe(old?.id);
    }

    // down runs exactly what down --dry-run (or, every other transition, plan --down) printed, and leaves nothing of the project.
    const downDryRun = await cli([...common(fileB), ...(index % 2 === 0 ? ['down', '--dry-run'] : ['plan', '--down']), '-t', '0', '--format', 'json']);
    expect(downDryRun.code, downDryRun.stderr).toBe(0);
    const down = await cli([...common(fileB), '--progress', 'json', 'down', '-t', '0']);
    expect(down.code, down.stderr).toBe(0);
    expect(executedIds(down.stderr), 'operations of down, by id').toEqual(plannedIds(JSON.parse(downDryRun.stdout) as Plan));
    expect(await projectResources(engine!, project)).toEqual({ containers: [], networks: [], volumes: [] });
    if (transition.externalNetwork) await docker!.getNetwork(transition.externalNetwork).remove();
  });
});
