import type { EngineConnection } from '../engine/client.js';
import { listLabelledProjects } from '../engine/labelled-projects.js';
import { downProject } from './down.js';
import { connectOrReuse, type EngineOptions } from './session.js';
import { LABEL, type Plan } from '../planner/index.js';
import { OWNER_LABEL, ownerState, type OwnerState } from './owner.js';

/** A compose project on the engine and, for one brought up with `isolate`, whether the process that owns it still runs. */
export interface StackSummary {
  project: string;
  /** Absent on a project without owner labels (brought up by the CLI, or without `isolate`). */
  owner?: { pid: number; host?: string; state: OwnerState };
  containers: number;
  networks: number;
  volumes: number;
}

export interface StaleOptions {
  connection?: EngineConnection;
}

/** `ls`: every compose project on the engine (found by its label), with its owner's state where it has one. */
export async function listStacks(options: StaleOptions = {}): Promise<StackSummary[]> {
  const connection = await connectOrReuse(options);
  const projects = await listLabelledProjects(connection, LABEL.project);
  return projects.map(({ name, labels, containers, networks, volumes }) => {
    const state = ownerState(labels);
    const host = labels[OWNER_LABEL.host];
    return {
      project: name,
      ...(state === 'none' ? {} : { owner: { pid: Number(labels[OWNER_LABEL.pid]), ...(host ? { host } : {}), state } }),
      containers,
      networks,
      volumes,
    };
  });
}

/** The stacks whose owner process is gone: its test run was killed before it could take them down. */
export async function staleStacks(options: StaleOptions = {}): Promise<StackSummary[]> {
  return (await listStacks(options)).filter((stack) => stack.owner?.state === 'gone');
}

export interface DownStaleOptions extends StaleOptions, Omit<EngineOptions, 'connection'> {}

/**
 * `down --stale`: takes down every stack whose owner is gone — containers killed, networks and
 * volumes removed — from their labels alone. Returns the plan run for each.
 */
export async function downStale(options: DownStaleOptions = {}): Promise<{ project: string; plan: Plan }[]> {
  const connection = await connectOrReuse(options);
  const stale = await staleStacks({ connection });
  const removed: { project: string; plan: Plan }[] = [];
  for (const stack of stale) {
    removed.push({ project: stack.project, plan: await downProject(stack.project, undefined, { ...options, connection, removeVolumes: true, removeOrphans: true, timeout: 0 }) });
  }
  return removed;
}
