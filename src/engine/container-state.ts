import type { EngineConnection } from './client.js';
import { containerLogs, type LogLine } from './project-containers.js';
import { ignoreNotFound } from './responses.js';

/** One run of a container's healthcheck, as the engine recorded it (it keeps the last five). */
export interface HealthCheckResult {
  /** When the check started, ISO 8601. */
  start: string;
  exitCode: number;
  /** What the check printed (stdout and stderr), as the engine stored it. */
  output: string;
}

/** A container's state, from inspect, as plain data. */
export interface ContainerState {
  /** The engine's state word: created, running, paused, restarting, exited, dead. */
  status: string;
  running: boolean;
  exitCode: number;
  /** The engine's error, e.g. when the process could not be started. */
  error?: string;
  oomKilled: boolean;
  /** Absent without a healthcheck. */
  health?: { status: string; failingStreak: number; log: HealthCheckResult[] };
}

interface EngineHealth {
  Status: string;
  FailingStreak: number;
  Log?: { Start: string; ExitCode: number; Output: string }[] | null;
}

/** The container's state, or undefined when there is no such container. */
export async function inspectContainerState(connection: EngineConnection, idOrName: string): Promise<ContainerState | undefined> {
  const details = await ignoreNotFound(connection.docker.getContainer(idOrName).inspect());
  if (!details) return undefined;
  const { State: state } = details;
  const health = (state as { Health?: EngineHealth }).Health;
  return {
    status: state.Status,
    running: state.Running,
    exitCode: state.ExitCode,
    ...(state.Error ? { error: state.Error } : {}),
    oomKilled: state.OOMKilled,
    ...(health
      ? { health: { status: health.Status, failingStreak: health.FailingStreak, log: (health.Log ?? []).map((check) => ({ start: check.Start, exitCode: check.ExitCode, output: check.Output })) } }
      : {}),
  };
}

/** The last `count` lines a container wrote (or all of them), stdout and stderr as the engine interleaves them. */
export async function lastLogLines(connection: EngineConnection, idOrName: string, count: number | 'all'): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of (await containerLogs(connection, idOrName, { tail: count })) as AsyncIterable<LogLine>) lines.push(line.text);
  return lines;
}
