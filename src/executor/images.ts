import type { EngineConnection } from '../engine/client.js';
import { observeImages } from '../engine/observed-state.js';
import { EngineOperationRunner, type BuildInput } from '../engine/operation-runner.js';
import { lookupCredentials, registryConfigHeader } from '../engine/registry-auth.js';
import { registryOf } from '../planner/image-reference.js';
import { dockerfileBaseImages } from './dockerfile-bases.js';
import { TscomposeError } from '../errors.js';
import type { ComposeProject, LoadOptions, LoaderWarning } from '../loader/index.js';
import { loadProject, requireServices } from './project-target.js';
import { imagesNeedingAge, planImageWork, type ImageWork } from '../planner/index.js';
import type { ImageBuild, Operation } from '../planner/types.js';
import { createBuildContext } from './build-context.js';
import { connectOrReuse, operationListener, type EngineOptions } from './project-session.js';
import { runOperations, type OperationRunner } from './run-operations.js';
import { checkEngineCall } from '../arguments.js';

/** The runner `up`, `pull` and `build` use: engine calls, with build contexts read from disk here. */
export function engineRunner(connection: EngineConnection): EngineOperationRunner {
  return new EngineOperationRunner(connection, buildContextOf);
}

async function buildContextOf(build: ImageBuild): Promise<BuildInput> {
  try {
    const context = await createBuildContext({ contextDir: build.context, dockerfile: build.dockerfile, dockerfileInline: build.dockerfileInline });
    return { ...context, registryConfig: await baseImageCredentials(context.dockerfileText, build.query.buildargs) };
  } catch (error) {
    if (error instanceof TscomposeError) throw new TscomposeError(`service "${build.service}": ${error.message}`, { hint: error.hint, cause: error });
    throw error;
  }
}

/**
 * X-Registry-Config for a build: credentials for the registries its FROM images come from, so
 * that the builder can pull a private base image. Undefined when none are needed or known.
 */
async function baseImageCredentials(dockerfile: string, buildArgs: Record<string, string>): Promise<string | undefined> {
  const registries = new Set(dockerfileBaseImages(dockerfile, buildArgs).flatMap((image) => {
    try {
      return [registryOf(image)];
    } catch {
      return []; // not a reference the builder could pull either: its own error says so
    }
  }));
  const lookups = await Promise.all([...registries].map((registry) => lookupCredentials(registry)));
  return lookups.some((lookup) => lookup.credentials) ? registryConfigHeader(lookups) : undefined;
}

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
  const images = await observeImages(connection.docker, imagesNeedingAge(project));
  const planned = planImageWork(project, { apiVersion: connection.apiVersion, containers: [], networks: [], images }, work, { services: options.services, ...buildOptions });
  /** Tolerated failures by operation id. */
  const failed = new Map<number, ImageWorkResult['failures'][number]>();
  const listener = operationListener(options);
  const runner = engineRunner(connection);
  const tolerant: OperationRunner = {
    async run(operation: Operation, signal, progress) {
      try {
        await runner.run(operation, signal, progress);
      } catch (error) {
        const image = planned.images.find((candidate) => candidate.name === operation.image);
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
