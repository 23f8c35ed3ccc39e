import { randomBytes } from 'node:crypto';
import { checkCommand, checkEngineCall, checkServiceName } from '../arguments.js';
import type { ExecResult } from '../engine/container-exec.js';
import { runAttached } from '../engine/one-off.js';
import { EngineOperationRunner } from '../executor/operations.js';
import { runOperations } from '../executor/run-operations.js';
import type { ComposeProject, LoadOptions } from '../loader/index.js';
import { planOneOff } from '../planner/index.js';
import { connectOrReuse, operationListener, type EngineOptions } from './session.js';
import { loadProject, requireServices } from './target.js';

export interface RunOneOffOptions extends LoadOptions, EngineOptions {
  project?: ComposeProject;
  /** Variables added to the service's environment. */
  env?: Readonly<Record<string, string>>;
  user?: string;
  /** The container's working directory (`run --workdir`); `workingDir` is the project's, as everywhere in the library. */
  workdir?: string;
}

/**
 * `run --rm`: a one-off container of the service (its configuration, the command given, no
 * published ports, no aliases) runs to its end; its exit code, stdout and stderr, then it is
 * removed with its anonymous volumes. Its image and the services it needs must be there (as
 * after `up`). Created and removed through the plan `planOneOff` makes; the start is attached,
 * so that no output is missed.
 */
export async function runOneOff(service: string, command: readonly string[] | undefined, options: RunOneOffOptions = {}): Promise<ExecResult> {
  checkServiceName(service, 'runOneOff');
  if (command !== undefined) checkCommand(command, 'runOneOff(service, command)');
  checkEngineCall(options, 'runOneOff');
  const { project } = loadProject(options);
  requireServices(project, [service]);
  const connection = await connectOrReuse(options);
  const planned = planOneOff(project, service, { command, env: options.env, user: options.user, workdir: options.workdir, apiVersion: connection.apiVersion, suffix: randomBytes(6).toString('hex') });
  const runner = new EngineOperationRunner(connection);
  const onEvent = operationListener(options);
  // Without the caller's signal: an aborted run is still cleaned up.
  const remove = () => runOperations(planned.removal, runner, { onEvent });
  let result: ExecResult;
  try {
    await runOperations(planned.operations, runner, { concurrency: options.concurrency, onEvent, signal: options.signal });
    result = await runAttached(connection, planned.container, options.signal);
  } catch (error) {
    // The run's failure is what the caller needs to see, not a failed clean-up after it.
    await remove().catch(() => undefined);
    throw error;
  }
  await remove();
  return result;
}
