import type { EngineConnection } from '../../engine/client.js';
import { stackServices, stackTasks, taskLogTail, type StackServiceStatus, type StackTask } from '../../engine/swarm.js';
import { TscomposeError } from '../../errors.js';
import type { StackPlan } from '../../planner/swarm/index.js';

/** How often the swarm is asked while waiting; a condition with a bound, never a fixed sleep. */
const POLL_MS = 500;
/** How long a task must have been running to count, as docker's --detach=false monitors it: a task that fails at once is a failure, not a success. */
const STABLE_MS = 5000;

/** A task that failed, with the engine's error and its last log lines. */
export interface FailedTask {
  service: string;
  task: string;
  state: string;
  error: string;
  logs: string[];
}

/** The stack did not converge: the failing tasks (with error and logs), or the services still short of tasks at the deadline. */
export class StackConvergeError extends TscomposeError {
  constructor(
    message: string,
    readonly failedTasks: readonly FailedTask[],
    readonly pending: readonly StackServiceStatus[],
  ) {
    super(message, { hint: 'tscompose stack ps --no-trunc STACK shows every task with its error' });
  }
}

const FAILED_STATES = new Set(['failed', 'rejected']);
const JOB_MODES = new Set(['replicated-job', 'global-job']);

/**
 * Waits until every service of the plan has converged: as many tasks running as wanted, each for
 * five seconds (a swarm task with a healthcheck counts as running only once healthy), jobs completed. A task that
 * started since `since` that failed ends the wait with its error and logs; so does the timeout.
 */
export async function waitForStack(connection: EngineConnection, plan: StackPlan, options: { since: number; timeoutSeconds?: number }): Promise<void> {
  const names = new Set(plan.services.filter((service) => service.action !== 'remove').map((service) => service.name));
  const deadline = options.timeoutSeconds === undefined ? Infinity : Date.now() + options.timeoutSeconds * 1000;
  // Engine timestamps and ours come from the same clock only on this machine; a second's slack covers rounding.
  const since = options.since - 1000;
  for (;;) {
    const services = (await stackServices(connection, plan.stack)).filter((service) => names.has(service.name));
    const tasks = await stackTasks(connection, services);
    // Only tasks this deploy started: a task an update replaces can fail on its way out (the engine reports a network it could not detach), which says nothing of the new one.
    const failed = tasks.filter((task) => FAILED_STATES.has(task.state) && Date.parse(task.createdAt) >= since);
    if (failed.length > 0) {
      const reports = await Promise.all(failed.map((task) => failedTask(connection, task, services)));
      throw new StackConvergeError(describeFailures(reports), reports, []);
    }
    const pending = services.filter((service) => !converged(service, tasks, Date.now() - STABLE_MS));
    if (pending.length === 0 && services.length === names.size) return;
    if (Date.now() > deadline) {
      throw new StackConvergeError(`stack ${plan.stack} did not converge within ${options.timeoutSeconds} s: ${pending.map((service) => `${service.name} ${service.running}/${service.desired}`).join(', ')}`, [], pending);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function converged(service: StackServiceStatus, tasks: readonly StackTask[], stableSince: number): boolean {
  const own = tasks.filter((task) => task.serviceId === service.id);
  if (JOB_MODES.has(service.mode)) return own.length > 0 && own.every((task) => task.desiredState !== 'running' || task.state === 'complete') && own.some((task) => task.state === 'complete');
  // Running counts only tasks of the current spec that are wanted running: an update is done when old ones are gone.
  const running = own.filter((task) => task.desiredState === 'running' && task.state === 'running' && Date.parse(task.stateSince) <= stableSince).length;
  const leaving = own.filter((task) => task.desiredState !== 'running' && task.state === 'running').length;
  return service.desired > 0 && running === service.desired && leaving === 0;
}

async function failedTask(connection: EngineConnection, task: StackTask, services: readonly StackServiceStatus[]): Promise<FailedTask> {
  return {
    service: services.find((service) => service.id === task.serviceId)?.name ?? task.serviceId,
    task: task.name,
    state: task.state,
    error: task.error || task.message,
    logs: await taskLogTail(connection, task.id).catch(() => []),
  };
}

function describeFailures(reports: readonly FailedTask[]): string {
  return reports
    .map((report) => [`task ${report.task} of ${report.service} ${report.state}: ${report.error}`, ...report.logs.map((line) => `  | ${line}`)].join('\n'))
    .join('\n');
}
