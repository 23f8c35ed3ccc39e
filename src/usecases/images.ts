import { observeImages } from '../engine/observed-state.js';
import type { ComposeProject, LoadOptions, LoaderWarning } from '../loader/index.js';
import { loadProject, requireServices } from './target.js';
import { imagesNeedingAge, planImageWork, type ImageWork } from '../planner/index.js';
import type { Operation } from '../planner/types.js';
import { EngineOperationRunner } from '../executor/operations.js';
import { connectOrReuse, operationListener, type EngineOptions } from './session.js';
import { runOperations, type OperationRunner } from '../executor/run-operations.js';
import { checkEngineCall } from '../arguments.js';

export interface ImageCommandOptions extends LoadOptions, EngineOptions {
  /** A project already loaded (library use); otherwise it is loaded with the LoadOptions. */
  project?: ComposeProject;
  /** Services whose images to pull or build; all when empty. */
  services?: string[];
}

export interface PullOptions extends ImageCommandOptions {
  /** Report failed pulls in `failures` instead of stopping at the first. */
  ignorePullFailures?: boolean;
}

export interface BuildOptions extends ImageCommandOptions {
  noCache?: boolean;
  /** Pull newer versions of the base images. */
  pull?: boolean;
}

export interface ImageWorkResult extends ImageWork {
  project: ComposeProject;
  warnings: LoaderWarning[];
  /** Pulls that failed but were allowed to (`ignorePullFailures`, or a service that can be built instead). */
  failures: { image: string; error: Error }[];
}

/** `pull`: pulls every image a service names with `image:`, concurrently, whatever its pull_policy. */
export async function pull(options: PullOptions = {}): Promise<ImageWorkResult> {
  checkEngineCall(options, 'pull');
  return imageWork('pull', options, (project, image) => Boolean(options.ignorePullFailures) || project.services[image.services[0]!]?.build !== undefined);
}

/** `build`: builds every service that has a `build:` section, concurrently. */
export async function build(options: BuildOptions = {}): Promise<ImageWorkResult> {
  checkEngineCall(options, 'build');
  return imageWork('build', options, () => false, { noCache: options.noCache, pull: options.pull });
}

async function imageWork(
  work: 'pull' | 'build',
  options: ImageCommandOptions,
  mayFail: (project: ComposeProject, image: ImageWork['images'][number]) => boolean,
  buildOptions: { noCache?: boolean; pull?: boolean } = {},
): Promise<ImageWorkResult> {
  const { project, warnings } = loadProject(options);
  requireServices(project, options.services ?? []);
  const connection = await connectOrReuse(options);
  const images = await observeImages(connection, imagesNeedingAge(project));
  const planned = planImageWork(project, { apiVersion: connection.apiVersion, containers: [], networks: [], images }, work, { services: options.services, ...buildOptions });
  /** Tolerated failures by operation id. */
  const failed = new Map<string, ImageWorkResult['failures'][number]>();
  const listener = operationListener(options);
  const runner = new EngineOperationRunner(connection);
  const tolerant: OperationRunner = {
    async run(operation: Operation, signal, progress) {
      try {
        await runner.run(operation, signal, progress);
      } catch (error) {
        const image = planned.images.find((candidate) => `image:${candidate.name}` === operation.resource);
        if (!image || !mayFail(project, image) || signal.aborted) throw error;
        failed.set(operation.id, { image: image.name, error: error as Error });
      }
    },
  };
  await runOperations(planned.operations, tolerant, {
    concurrency: options.concurrency,
    // A tolerated failure still shows as one.
    onEvent: listener && ((event) => listener(event.type === 'done' && failed.has(event.operation.id) ? { type: 'failed', operation: event.operation, error: failed.get(event.operation.id)!.error } : event)),
  });
  return { ...planned, project, warnings, failures: [...failed.values()] };
}
