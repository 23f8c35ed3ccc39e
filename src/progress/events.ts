
/** One step of progress, as every renderer receives it and `--progress json` prints it. */
export interface ProgressEvent {
  /** ISO time. */
  time: string;
  /** `network:<name>`, `container:<name>`, `volume:<name>`, `image:<name>`. */
  resource: string;
  /** The operation kind (CreateContainer, …), `Message` for a note, or `Replan` when `up` planned again after pulls and builds. */
  kind: string;
  /** The operation's id in the plan (`create-container:demo-web-1`), so that what ran can be checked against what `--dry-run` printed; absent on a note. */
  id?: string;
  status: 'working' | 'done' | 'error' | 'info';
  /** What a person reads: "Creating", "Started", "Waiting (healthy)". */
  text: string;
  /** Seconds the step took, on done. */
  seconds?: number;
  /** On a working event that reports a figure the next one replaces (bytes pulled so far): line-by-line output may skip it. */
  transient?: boolean;
  /** The engine's message, on error. */
  error?: string;
  /** On a `Warning` or `Error`: where in the compose files, `file:line:col`. */
  location?: string;
  /** On an `Error`: what to do about it. */
  hint?: string;
  /** On a `Replan`: the ids of the operations that run from then on. */
  operations?: string[];
  /** On the `Error` of `up --wait`: a report on each container that was not ready. */
  containers?: readonly ContainerReport[];
}

/** Why one container was not ready, with what a CI log needs to see why. */
export interface ContainerReport {
  service: string;
  container: string;
  /** What went wrong, after the service's name: `exited with code 1`, `is unhealthy`, `is not healthy after 30 s`. */
  reason: string;
  /** The engine's state word: created, running, restarting, exited, dead; `missing` when the container is gone. */
  status: string;
  /** Present once the container has stopped. */
  exitCode?: number;
  /** The engine's error, e.g. when the process could not be started. */
  error?: string;
  /** healthy, unhealthy or starting; absent without a healthcheck. */
  health?: string;
  /** The last runs of the healthcheck (the engine keeps five), oldest first. */
  healthLog: { start: string; exitCode: number; output: string }[];
  /** The last lines of its output (50), stdout and stderr. */
  logs: string[];
}

/**
 * `up` planned its containers again after pulls and builds, because an image changed: the
 * operations that run from here are `operations` (ids), no longer the ones the first plan listed.
 */
export function replanned(reason: string, operations: string[]): ProgressEvent {
  return { time: new Date().toISOString(), resource: '', kind: 'Replan', status: 'info', text: `planned again: ${reason}`, operations };
}

export function message(text: string): ProgressEvent {
  return { time: new Date().toISOString(), resource: '', kind: 'Message', status: 'info', text };
}
