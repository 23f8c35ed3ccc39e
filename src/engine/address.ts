import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { TscomposeError } from '../errors.js';
import { currentContextEndpoint } from './docker-context.js';

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
 * else the endpoint of the current `docker context` (DOCKER_CONTEXT, else the client config's
 * currentContext), else the default socket: the docker CLI's order.
 */
export function engineAddress(environment: NodeJS.ProcessEnv = process.env): EngineAddress {
  const host = environment.DOCKER_HOST?.trim();
  if (host) return addressOf(host, environment, { tls: Boolean(environment.DOCKER_TLS_VERIFY), certPath: environment.DOCKER_CERT_PATH || join(environment.HOME ?? homedir(), '.docker') });
  const context = currentContextEndpoint(environment);
  if (context) {
    const address = addressOf(context.host, environment, { tls: context.tlsDir !== undefined, certPath: context.tlsDir ?? '', skipVerify: context.skipTlsVerify });
    return { ...address, display: `${address.display} (docker context "${context.name}")` };
  }
  return { display: `unix://${DEFAULT_SOCKET}`, options: { socketPath: DEFAULT_SOCKET } };
}

/** How to reach a TLS engine: whether TLS is on, where ca.pem, cert.pem and key.pem are, whether the server's certificate is checked. */
interface TlsSettings {
  tls: boolean;
  certPath: string;
  skipVerify?: boolean;
}

function addressOf(host: string, environment: NodeJS.ProcessEnv, tls: TlsSettings): EngineAddress {
  // Sliced, not parsed as a URL: a socket path is taken literally, spaces and % included.
  if (host.startsWith('unix://')) return { display: host, options: { socketPath: host.slice('unix://'.length) || DEFAULT_SOCKET } };
  const url = parseHost(host);
  switch (url.protocol) {
    case 'tcp:':
    case 'http:':
    case 'https:':
      return { display: host, options: tcpOptions(url, tls) };
    case 'ssh:':
      return { display: host, options: sshOptions(url, host, environment) };
    default:
      throw new EngineUnavailableError(`DOCKER_HOST "${host}" has an unsupported scheme "${url.protocol}"`, { hint: 'use unix://, tcp:// or ssh://' });
  }
}

function tcpOptions(url: URL, settings: TlsSettings): Record<string, unknown> {
  // Like the docker CLI, any non-empty DOCKER_TLS_VERIFY turns TLS on, "0" included.
  const tls = settings.tls || url.protocol === 'https:';
  const options: Record<string, unknown> = { host: hostName(url), port: Number(url.port || (tls ? 2376 : 2375)), protocol: tls ? 'https' : 'http' };
  if (!tls) return options;
  const certPath = settings.certPath;
  try {
    return {
      ...options,
      ca: readFileSync(join(certPath, 'ca.pem')),
      cert: readFileSync(join(certPath, 'cert.pem')),
      key: readFileSync(join(certPath, 'key.pem')),
      ...(settings.skipVerify ? { rejectUnauthorized: false } : {}),
    };
  } catch (error) {
    throw new EngineUnavailableError(`DOCKER_TLS_VERIFY is set but the certificates in ${certPath} cannot be read: ${(error as Error).message}`, {
      hint: 'set DOCKER_CERT_PATH to the directory holding ca.pem, cert.pem and key.pem',
      cause: error,
    });
  }
}

/** dockerode runs `docker system dial-stdio` on the host over ssh2, authenticating with the ssh agent. */
function sshOptions(url: URL, host: string, environment: NodeJS.ProcessEnv): Record<string, unknown> {
  if (url.password) {
    throw new EngineUnavailableError(`DOCKER_HOST "${host}" holds a password, which ssh:// does not take`, {
      hint: 'load the key into your ssh-agent (ssh-add) and write ssh://user@host',
    });
  }
  return {
    protocol: 'ssh',
    host: hostName(url),
    port: Number(url.port || 22),
    // ssh's own default: the local user name.
    username: url.username ? decodeURIComponent(url.username) : (environment.USER ?? userInfo().username),
    sshOptions: { agent: environment.SSH_AUTH_SOCK },
  };
}

/** The host without the brackets a URL puts around an IPv6 address. */
function hostName(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function parseHost(host: string): URL {
  try {
    return new URL(host);
  } catch {
    throw new EngineUnavailableError(`DOCKER_HOST "${host}" is not an address`, { hint: 'for example unix:///var/run/docker.sock or tcp://127.0.0.1:2375' });
  }
}
