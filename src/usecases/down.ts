import { EngineOperationRunner } from '../executor/operations.js';
import { ComposeFileNotFoundError } from '../errors.js';
import { load, type ComposeProject, type LoadOptions } from '../loader/index.js';
import { planDown, type DownOptions, type Plan } from '../planner/index.js';
import { observeProject, operationListener, type EngineOptions } from './session.js';
import { runOperations } from '../executor/run-operations.js';

export interface DownRunOptions extends LoadOptions, DownOptions, EngineOptions {
  /** A project already loaded (library use). */
  project?: ComposeProject;
}

/**
 * Takes the project down: every container and network (and with removeVolumes, volume) carrying
 * the project's label, containers stopped in reverse dependency order. Works from labels alone
 * when there is no compose file but a project name (-p).
 */
export async function down(options: DownRunOptions = {}): Promise<Plan> {
  let model = options.project;
  if (!model) {
    try {
      model = load(options).project;
    } catch (error) {
      if (!(error instanceof ComposeFileNotFoundError && options.projectName)) throw error;
    }
  }
  const name = model?.name ?? options.projectName!;
  const { connection, observed } = await observeProject(name, options, { images: false });
  const planned = planDown(name, observed, model, options);
  await runOperations(planned.operations, new EngineOperationRunner(connection), { concurrency: options.concurrency, onEvent: operationListener(options) });
  return planned;
}
