import { TscomposeError } from '../errors.js';

/** The newest Engine API version tscompose speaks. */
export const CLIENT_API_VERSION = '1.47';
/** The oldest Engine API version tscompose speaks (Docker Engine 20.10). */
export const MIN_CLIENT_API_VERSION = '1.41';

/** The engine and tscompose share no API version, or DOCKER_API_VERSION names one that cannot be used. */
export class EngineApiVersionError extends TscomposeError {}

/** What the engine's `GET /version` says about the API versions it serves. */
export interface EngineApiVersions {
  ApiVersion: string;
  MinAPIVersion?: string;
}

/**
 * The API version to use with an engine: the lower of the engine's newest and ours, or `pinned`
 * (DOCKER_API_VERSION) as it is, which turns negotiation off. A pinned version is the engine's to
 * judge, as with the docker CLI: any one it serves (1.12 to 1.41 on Docker 20.10) is used, and
 * its refusal of the others is relayed (see {@link apiVersionRefusal}).
 */
export function negotiateApiVersion(engine: EngineApiVersions, pinned?: string): string {
  if (pinned !== undefined) {
    checkPinnedApiVersion(pinned);
    return pinned;
  }
  if (compareApiVersions(engine.ApiVersion, MIN_CLIENT_API_VERSION) < 0) {
    throw new EngineApiVersionError(`the Docker engine speaks Engine API ${engine.ApiVersion} at most; tscompose needs ${MIN_CLIENT_API_VERSION} or newer`, {
      hint: 'upgrade the engine to Docker Engine 20.10 or newer',
    });
  }
  if (engine.MinAPIVersion && compareApiVersions(engine.MinAPIVersion, CLIENT_API_VERSION) > 0) {
    throw new EngineApiVersionError(`the Docker engine needs Engine API ${engine.MinAPIVersion} or newer; tscompose speaks ${CLIENT_API_VERSION} at most`, {
      hint: 'upgrade tscompose',
    });
  }
  return compareApiVersions(engine.ApiVersion, CLIENT_API_VERSION) < 0 ? engine.ApiVersion : CLIENT_API_VERSION;
}

/** Rejects a DOCKER_API_VERSION that is not a version at all (`latest`, `v1.41`), before any engine is asked; the engine judges the rest. */
export function checkPinnedApiVersion(pinned: string): void {
  if (!/^\d+\.\d+$/.test(pinned)) {
    throw new EngineApiVersionError(`DOCKER_API_VERSION "${pinned}" is not an Engine API version`, {
      hint: `write it as MAJOR.MINOR, for example ${MIN_CLIENT_API_VERSION}, or unset it to negotiate with the engine`,
    });
  }
}

/**
 * The engine's HTTP 400 for a version-prefixed call it does not serve ("client version 1.45 is too
 * new. Maximum supported API version is 1.41"), relayed in the engine's own words as an
 * EngineApiVersionError; undefined for anything else.
 */
export function apiVersionRefusal(error: unknown): EngineApiVersionError | undefined {
  if ((error as { statusCode?: unknown } | undefined)?.statusCode !== 400) return undefined;
  const refusal = /client version (\S+) is too (new|old)\. (?:Maximum|Minimum) supported API version is (\d+\.\d+)/.exec((error as Error).message);
  if (!refusal) return undefined;
  const [words, requested, direction, supported] = refusal as unknown as [string, string, 'new' | 'old', string];
  return new EngineApiVersionError(`the Docker engine refuses DOCKER_API_VERSION=${requested}: ${words}`, {
    hint: `unset DOCKER_API_VERSION to negotiate, or set it to ${supported}${direction === 'old' ? ' or newer' : ' or older'}`,
    cause: error,
  });
}

/** Negative, zero or positive as `a` is older than, the same as or newer than `b` ("1.9" < "1.41"). */
function compareApiVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}
