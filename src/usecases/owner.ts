import { readFileSync } from 'node:fs';
import type { ComposeProject } from '../loader/index.js';

/**
 * The labels that name the process owning a stack, on each of its containers, networks and
 * volumes: with them `ls --stale` tells a stack whose test process died from one in use.
 */
export const OWNER_LABEL = {
  pid: 'dev.tscompose.owner.pid',
  /** The process's start, in clock ticks after boot (/proc/PID/stat field 22): a pid the kernel reused has another. */
  startTime: 'dev.tscompose.owner.start-time',
  /** /proc/sys/kernel/random/boot_id: after a reboot no process of the old boot lives. */
  bootId: 'dev.tscompose.owner.boot-id',
  /** Only processes on this host can be checked. */
  host: 'dev.tscompose.owner.host',
} as const;

/** Whether a stack's owner still runs: `elsewhere` when it ran on another host (it cannot be checked from here). */
export type OwnerState = 'alive' | 'gone' | 'elsewhere' | 'none';

/** The owner labels for this process. */
export function ownerLabels(pid = process.pid): Record<string, string> {
  const startTime = processStartTime(pid);
  const bootId = hostBootId();
  return {
    [OWNER_LABEL.pid]: String(pid),
    ...(startTime !== undefined ? { [OWNER_LABEL.startTime]: startTime } : {}),
    ...(bootId !== undefined ? { [OWNER_LABEL.bootId]: bootId } : {}),
    [OWNER_LABEL.host]: process.getBuiltinModule('node:os').hostname(),
  };
}

/** The project with the labels on every service, network and volume it creates (not on external ones). */
export function withOwnerLabels(project: ComposeProject, labels: Readonly<Record<string, string>>): ComposeProject {
  const labelled = <T extends { labels?: unknown; external?: unknown }>(config: T): T =>
    config.external === true ? config : { ...config, labels: { ...(config.labels as Record<string, string> | undefined), ...labels } };
  const each = <T extends { labels?: unknown; external?: unknown }>(configs: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.entries(configs).map(([key, config]) => [key, labelled(config)]));
  return { ...project, services: each(project.services), networks: each(project.networks), volumes: each(project.volumes) };
}

/** Whether the process the labels name still runs; `none` when they name no owner. */
export function ownerState(labels: Readonly<Record<string, string>>): OwnerState {
  const pid = Number(labels[OWNER_LABEL.pid]);
  if (!Number.isInteger(pid) || pid <= 0) return 'none';
  if (labels[OWNER_LABEL.host] !== undefined && labels[OWNER_LABEL.host] !== process.getBuiltinModule('node:os').hostname()) return 'elsewhere';
  const bootId = labels[OWNER_LABEL.bootId];
  if (bootId !== undefined && hostBootId() !== undefined && bootId !== hostBootId()) return 'gone';
  if (!processExists(pid)) return 'gone';
  const startTime = labels[OWNER_LABEL.startTime];
  const running = processStartTime(pid);
  return startTime !== undefined && running !== undefined && startTime !== running ? 'gone' : 'alive';
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/PID/stat; undefined where there is no /proc (macOS, Windows). */
function processStartTime(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function hostBootId(): string | undefined {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim();
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
