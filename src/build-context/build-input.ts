import { lookupCredentials, registryConfigHeader } from '../engine/registry-auth.js';
import { TscomposeError } from '../errors.js';
import { registryOf } from '../planner/image-reference.js';
import type { ImageBuild } from '../planner/types.js';
import { createBuildContext } from './build-context.js';
import { dockerfileBaseImages } from './dockerfile-bases.js';

/** What a build sends: the context's tar stream, the Dockerfile's path inside it, and the X-Registry-Config for its base images. */
export interface BuildInput {
  stream: NodeJS.ReadableStream;
  dockerfile: string;
  registryConfig?: string;
}

/** Reads a planned build's context from disk, as POST /build takes it. */
export async function buildInputOf(build: ImageBuild): Promise<BuildInput> {
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
  const registries = new Set(
    dockerfileBaseImages(dockerfile, buildArgs).flatMap((image) => {
      try {
        return [registryOf(image)];
      } catch {
        return []; // not a reference the builder could pull either: its own error says so
      }
    }),
  );
  const lookups = await Promise.all([...registries].map((registry) => lookupCredentials(registry)));
  return lookups.some((lookup) => lookup.credentials) ? registryConfigHeader(lookups) : undefined;
}
