import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TscomposeError } from '../errors.js';

/** The Docker client's configuration directory: $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(environment: NodeJS.ProcessEnv): string {
  return environment.DOCKER_CONFIG || join(environment.HOME || process.getBuiltinModule('node:os').homedir(), '.docker');
}

/** A `docker context`'s engine endpoint, as the docker CLI stores it. */
export interface ContextEndpoint {
  name: string;
  host: string;
  skipTlsVerify: boolean;
  /** The directory holding its ca.pem, cert.pem and key.pem, when the context has TLS material. */
  tlsDir?: string;
}

/** `docker context` names the default context, which is DOCKER_HOST or the default socket. */
const DEFAULT_CONTEXT = 'default';

/** The context name or its metadata could not be read. */
export class DockerContextError extends TscomposeError {}

/**
 * The engine endpoint of the current `docker context`, chosen as the docker CLI chooses it when
 * DOCKER_HOST is not set: DOCKER_CONTEXT, else `currentContext` in config.json; undefined for the
 * default context. The metadata lives in contexts/meta/<sha256 of the name>/meta.json, TLS
 * material in contexts/tls/<sha256 of the name>/docker/.
 */
export function currentContextEndpoint(environment: NodeJS.ProcessEnv): ContextEndpoint | undefined {
  const configDir = dockerConfigDir(environment);
  const name = environment.DOCKER_CONTEXT?.trim() || readCurrentContext(join(configDir, 'config.json'));
  if (!name || name === DEFAULT_CONTEXT) return undefined;
  const id = process.getBuiltinModule('node:crypto').createHash('sha256').update(name).digest('hex');
  const metaFile = join(configDir, 'contexts', 'meta', id, 'meta.json');
  let meta: { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } };
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DockerContextError(missing ? `docker context "${name}" does not exist` : `docker context "${name}" cannot be read from ${metaFile}: ${(error as Error).message}`, {
      hint: `${environment.DOCKER_CONTEXT ? 'DOCKER_CONTEXT' : `currentContext in ${join(configDir, 'config.json')}`} names it; see docker context ls`,
      cause: error,
    });
  }
  const endpoint = meta.Endpoints?.docker;
  if (!endpoint?.Host) throw new DockerContextError(`docker context "${name}" has no Docker endpoint`, { hint: `see ${metaFile}` });
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
  return { name, host: endpoint.Host, skipTlsVerify: Boolean(endpoint.SkipTLSVerify), ...(existsSync(tlsDir) ? { tlsDir } : {}) };
}

function readCurrentContext(file: string): string | undefined {
  try {
    const config = JSON.parse(readFileSync(file, 'utf8')) as { currentContext?: unknown };
    return typeof config.currentContext === 'string' ? config.currentContext : undefined;
  } catch {
    // No config file, or one the docker CLI would also fail on for other reasons: the default context.
    return undefined;
  }
}
