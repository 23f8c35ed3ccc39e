import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TscomposeError } from '../errors.js';

/** Where the engine is, from DOCKER_HOST, as dockerode's connection options. */
export interface EngineAddress {
  /** As the user would recognize it: `unix:///var/run/docker.sock`, `tcp://127.0.0.1:2376`. */
  display: string;
  options: Record<string, unknown>;
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Raised when no engine answers, or it cannot be reached the way DOCKER_HOST says. */
export class EngineUnavailableError extends TscomposeError {}

/**
 * Reads DOCKER_HOST (`unix://`, `tcp://` with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, `ssh://`),
 * else the default socket.
 */
export function engineAddress(environment: NodeJS.ProcessEnv = process.env): EngineAddress {
  const host = environment.DOCKER_HOST?.trim();
  if (!host) return { display: `unix://${DEFAULT_SOCKET}`, options: { socketPath: DEFAULT_SOCKET } };
  const url = parseHost(host);
  switch (url.protocol) {
    case 'unix:':
      return { display: host, options: { socketPath: url.pathname } };
    case 'tcp:':
    case 'http:':
    case 'https:': {
      const tls = Boolean(environment.DOCKER_TLS_VERIFY) || url.protocol === 'https:';
      const options: Record<string, unknown> = { host: url.hostname, port: Number(url.port || (tls ? 2376 : 2375)), protocol: tls ? 'https' : 'http' };
      if (tls) {
        const certPath = environment.DOCKER_CERT_PATH || join(environment.HOME ?? '', '.docker');
        try {
          options.ca = readFileSync(join(certPath, 'ca.pem'));
          options.cert = readFileSync(join(certPath, 'cert.pem'));
          options.key = readFileSync(join(certPath, 'key.pem'));
        } catch (error) {
          throw new EngineUnavailableError(`DOCKER_TLS_VERIFY is set but the certificates in ${certPath} cannot be read: ${(error as Error).message}`, {
            hint: 'set DOCKER_CERT_PATH to the directory holding ca.pem, cert.pem and key.pem',
          });
        }
      }
      return { display: host, options };
    }
    case 'ssh:':
      return { display: host, options: { protocol: 'ssh', host: url.hostname, port: Number(url.port || 22), username: url.username || undefined } };
    default:
      throw new EngineUnavailableError(`DOCKER_HOST "${host}" has an unsupported scheme "${url.protocol}"`, { hint: 'use unix://, tcp:// or ssh://' });
  }
}

function parseHost(host: string): URL {
  try {
    return new URL(host);
  } catch {
    throw new EngineUnavailableError(`DOCKER_HOST "${host}" is not an address`, { hint: 'for example unix:///var/run/docker.sock or tcp://127.0.0.1:2375' });
  }
}
