import type { EngineConnection } from '../engine/client.js';
import type { ContainerReport } from '../progress/events.js';
import { inspectContainerState, lastLogLines, type ContainerState } from '../engine/container-state.js';
import { ContainerWaitError, isStopped, lookAt, POLL_MS, waitForContainer } from '../executor/container-wait.js';
import { TscomposeError } from '../errors.js';
import type { ComposeProject } from '../loader/index.js';
import type { Operation, Plan, PlannedContainer, WaitCondition } from '../planner/types.js';
import { runOperations, type OperationEvent, type OperationRunner } from '../executor/run-operations.js';

/** How many of its last log lines a report on a container holds. */
export const REPORT_LOG_LINES = 50;

/** `up --wait` did not see every container ready; `containers` reports on each one that was not. */
export class WaitError extends TscomposeError {
  constructor(
    message: string,
    readonly containers: readonly ContainerReport[],
    cause?: unknown,
  ) {
    super(message, { cause, hint: 'the containers are left as they are: see tscompose ps -a and tscompose logs, and remove them with tscompose down' });
  }
}

/** `--wait-timeout` ran out first. */
export class WaitTimeoutError extends WaitError {}

/** A container exited, or its healthcheck failed. */
export class ServiceFailedError extends WaitError {}

const CONDITION_WORD: Record<WaitCondition, string> = { running: 'running', healthy: 'healthy', 'exited-successfully': 'exited' };

/**
 * What `up --wait` adds to `up`: it watches the waits `up` runs for dependencies (one that fails
 * or outlasts the timeout is reported like the others), then waits until every container of the
 * plan is ready, and on failure reports on each container that was not. The timeout counts from
 * when this is made, after planning.
 */
export class Readiness {
  /** Containers whose wait is in flight, with the condition it waits for. */
  private readonly waiting = new Map<string, WaitCondition>();
  /** Containers that can no longer become ready, with why. */
  private readonly failures = new Map<string, string>();
  /** Containers whose wait succeeded, with the condition: their progress line was shown once. */
  private readonly reached = new Map<string, WaitCondition>();
  private readonly deadline = new AbortController();
  /** Aborted when a container that was ready stops being so: every wait still in flight ends. */
  private readonly halt = new AbortController();
  private readonly timer?: NodeJS.Timeout;

  constructor(
    private readonly connection: EngineConnection,
    private readonly project: ComposeProject,
    private readonly plan: Plan,
    private readonly timeoutSeconds?: number,
  ) {
    if (timeoutSeconds !== undefined) {
      this.timer = setTimeout(() => this.deadline.abort(new TscomposeError(`not ready after ${timeoutSeconds} s`)), timeoutSeconds * 1000);
    }
  }

  /** The runner, with its waits watched and bounded by the timeout. */
  watch(runner: OperationRunner): OperationRunner {
    return {
      run: async (operation, signal, progress) => {
        if (operation.kind !== 'WaitContainer') return runner.run(operation, signal, progress);
        const name = operation.container;
        const bounded = AbortSignal.any([signal, this.deadline.signal, this.halt.signal]);
        this.waiting.set(name, operation.condition);
        try {
          await runner.run(operation, bounded, progress);
          this.waiting.delete(name);
          this.reached.set(name, operation.condition);
        } catch (error) {
          // A wait stopped by another failure or the timeout says nothing about its container.
          if (!bounded.aborted) this.failures.set(name, error instanceof Error ? error.message : String(error));
          throw error;
        }
      },
    };
  }

  /**
   * Waits until every container is running, and healthy where it has a healthcheck; a container
   * that others wait for with `service_completed_successfully` must have exited with 0 instead,
   * as compose does. Any other stopped container is a failure, also one that was ready and stops
   * while others are still awaited: the wait fails at once, naming it.
   */
  async untilReady(onEvent?: (event: OperationEvent) => void, signal?: AbortSignal): Promise<void> {
    // Not operations of the plan: their ids (`wait-ready:demo-web-1:healthy`) say so, and never equal one of its waits.
    const waits = this.plan.containers.map((container): Operation => {
      const condition = this.conditionOf(container);
      return { id: `wait-ready:${container.name}:${condition}`, kind: 'WaitContainer', resource: `container:${container.name}`, dependsOn: [], cause: '--wait', container: container.name, condition };
    });
    // A container whose progress already said `Running` or `Healthy` (up waited for it as a dependency) is not announced again.
    const shown = new Map(this.reached);
    const quiet = ({ operation }: OperationEvent) => operation.kind === 'WaitContainer' && shown.get(operation.container) === operation.condition;
    const stopGuard = new AbortController();
    const guard = this.guardReady(stopGuard.signal);
    try {
      await runOperations(waits, this.watch(new ReadinessRunner(this.connection)), { concurrency: waits.length, onEvent: onEvent && ((event) => (quiet(event) ? undefined : onEvent(event))), signal });
    } finally {
      stopGuard.abort();
      await guard;
    }
    // The last look: one that stopped between the guard's rounds and the end of the wait fails it too.
    await this.checkReady();
    if (this.halt.signal.aborted) throw this.halt.signal.reason;
  }

  /** Looks at the ready containers again and again until `stop`; the first one no longer ready halts every wait. */
  private async guardReady(stop: AbortSignal): Promise<void> {
    while (!stop.aborted && !this.halt.signal.aborted) {
      await this.checkReady();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Whether every container that reached running or healthy still is; one that is not is recorded, and halts the waits. */
  private async checkReady(): Promise<void> {
    for (const [name, condition] of this.reached) {
      if (condition === 'exited-successfully' || this.halt.signal.aborted) continue;
      try {
        await lookAt(this.connection, name, condition, 'ready');
      } catch (error) {
        if (!(error instanceof ContainerWaitError)) throw error;
        this.failures.set(name, error.message);
        this.halt.abort(error);
      }
    }
  }

  /** The failure as a WaitError reporting on each container that was not ready; undefined when it is not about readiness. */
  async explain(error: unknown): Promise<WaitError | undefined> {
    if (this.deadline.signal.aborted && this.waiting.size > 0) {
      const pending = [...this.waiting];
      const reports = await this.reports(pending.map(([name, condition]) => [name, `is not ${CONDITION_WORD[condition]} after ${this.timeoutSeconds} s`]));
      return new WaitTimeoutError(`not ready after ${this.timeoutSeconds} s: ${pending.map(([name]) => name).join(', ')}`, reports, error);
    }
    if (this.failures.size > 0) {
      const reports = await this.reports([...this.failures].map(([name, message]) => [name, reasonOf(name, message)]));
      const message =
        reports.length === 1 ? `service "${reports[0]!.service}" ${reports[0]!.reason}` : `${reports.length} services failed: ${reports.map((report) => `${report.service} ${report.reason}`).join('; ')}`;
      return new ServiceFailedError(message, reports, error);
    }
    return undefined;
  }

  /** Stops the clock. */
  dispose(): void {
    clearTimeout(this.timer);
  }

  private conditionOf(container: PlannedContainer): WaitCondition {
    const awaitedToComplete = Object.values(this.project.services).some(
      (service) => service.depends_on[container.service]?.condition === 'service_completed_successfully',
    );
    if (awaitedToComplete) return 'exited-successfully';
    const test = container.request.Healthcheck?.Test;
    return test !== undefined && test[0] !== 'NONE' ? 'healthy' : 'running';
  }

  private async reports(entries: [container: string, reason: string][]): Promise<ContainerReport[]> {
    const services = new Map(this.plan.containers.map((container) => [container.name, container.service]));
    return Promise.all(entries.map(([name, reason]) => reportOnContainer(this.connection, services.get(name) ?? name, name, reason)));
  }
}

/** A report on one container that was not ready: its state, health log and last log lines, as far as the engine still has them. */
export async function reportOnContainer(connection: EngineConnection, service: string, container: string, reason: string): Promise<ContainerReport> {
  // Best effort: the report must not hide the failure it explains.
  const state = await inspectContainerState(connection, container).catch(() => undefined);
  const logs = state ? await lastLogLines(connection, container, REPORT_LOG_LINES).catch(() => []) : [];
  return reportOn(service, container, reason, state, logs);
}

/** `container demo-db-1 exited with code 1` → `exited with code 1`; an engine's message → `failed: <message>`. */
function reasonOf(container: string, message: string): string {
  const prefix = `container ${container} `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : `failed: ${message}`;
}

function reportOn(service: string, container: string, reason: string, state: ContainerState | undefined, logs: string[]): ContainerReport {
  return {
    service,
    container,
    reason,
    status: state?.status ?? 'missing',
    ...(state && isStopped(state) ? { exitCode: state.exitCode } : {}),
    ...(state?.error ? { error: state.error } : {}),
    ...(state?.health ? { health: state.health.status } : {}),
    healthLog: state?.health?.log ?? [],
    logs,
  };
}

/** Polls a container until it is ready for `--wait`, or can no longer become so. */
class ReadinessRunner implements OperationRunner {
  constructor(private readonly connection: EngineConnection) {}

  async run(operation: Operation, signal: AbortSignal): Promise<void> {
    if (operation.kind === 'WaitContainer') await waitForContainer(this.connection, operation.container, operation.condition, 'ready', signal);
  }
}
