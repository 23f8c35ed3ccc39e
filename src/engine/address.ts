import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TscomposeError } from '../errors.js';
import { currentContextEndpoint } from './docker-context.js';

/** Where the engine is, from DOCKER_HOST, as dockerode's connection options. */
export interface EngineAddress {
  /** As the user would recognize it: `unix:///var/run/docker.sock`, `tcp://127.0.0.1:2376`. */
  display: string;
  options: Record<string, unknown>;
  /** With DOCKER_TLS_VERIFY: the directory ca.pem, cert.pem and key.pem were read from. */
  certPath?: string;
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
  if (host) return addressOf(host, environment, { tls: Boolean(environment.DOCKER_TLS_VERIFY), certPath: environment.DOCKER_CERT_PATH || join(environment.HOME ?? process.getBuiltinModule('node:os').homedir(), '.docker') });
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
      return { display: host, ...tcpOptions(url, tls) };
    case 'ssh:':
      return { display: host, options: sshOptions(url, host, environment) };
    default:
      throw new EngineUnavailableError(`DOCKER_HOST "${host}" has an unsupported scheme "${url.protocol}"`, { hint: 'use unix://, tcp:// or ssh://' });
  }
}

function tcpOptions(url: URL, settings: TlsSettings): Pick<EngineAddress, 'options' | 'certPath'> {
  // Like the docker CLI, any non-empty DOCKER_TLS_VERIFY turns TLS on, "0" included.
  const tls = settings.tls || url.protocol === 'https:';
  const options: Record<string, unknown> = { host: hostName(url), port: Number(url.port || (tls ? 2376 : 2375)), protocol: tls ? 'https' : 'http' };
  if (!tls) return { options };
  const certPath = settings.certPath;
  const read = (file: string, what: string): Buffer => {
    const path = join(certPath, file);
    try {
      return readFileSync(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
      throw new EngineUnavailableError(`DOCKER_TLS_VERIFY is set, but ${path} (${what}) ${reason}`, {
        hint: `set DOCKER_CERT_PATH to the directory holding ca.pem, cert.pem and key.pem (now ${certPath}), or unset DOCKER_TLS_VERIFY for an engine without TLS`,
        cause: error,
      });
    }
  };
  return { options: { ...options, ca: read('ca.pem', 'the CA that signed the engine’s certificate'), cert: read('cert.pem', 'your client certificate'), key: read('key.pem', 'your client certificate’s key'), ...(settings.skipVerify ? { rejectUnauthorized: false } : {}) }, certPath };
}

/** OpenSSL's verdicts on the engine's certificate, which ca.pem does not vouch for. */
const UNTRUSTED_SERVER = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED']);

/**
 * A TLS failure against the engine as one line naming the file at fault and what to do;
 * undefined when the error is not about TLS. The engine refusing our certificate arrives as an
 * alert during the handshake, or (TLS 1.3) as the connection closing right after it.
 */
export function tlsRefusal(error: unknown, address: EngineAddress): EngineUnavailableError | undefined {
  if (!address.certPath) return undefined;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const file = (name: string) => join(address.certPath!, name);
  const detail = `${(error as Error).message.split('\n')[0]!.trim()}`;
  const refuse = (message: string, hint: string) => new EngineUnavailableError(`${message} (${detail})`, { hint, cause: error });
  if (UNTRUSTED_SERVER.has(code)) {
    return refuse(`the Docker engine at ${address.display} presents a certificate that ${file('ca.pem')} does not vouch for`, 'put the CA that signed the engine’s certificate (its --tlscacert) in ca.pem, or point DOCKER_CERT_PATH at the right directory');
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return refuse(`the Docker engine’s certificate is not made out to the host of ${address.display}`, 'use the host name or address the certificate names in DOCKER_HOST, or give the engine a certificate for this one');
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return refuse(`the Docker engine at ${address.display} presents a certificate that is not valid now`, 'renew the engine’s certificate (its --tlscert)');
  }
  if (/ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|CERTIFICATE_REQUIRED|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED)/.test(code)) {
    return refuse(`the Docker engine at ${address.display} does not accept the client certificate ${file('cert.pem')}`, 'use a client certificate signed by the CA the engine trusts (its --tlscacert), with its key.pem');
  }
  if (/KEY_VALUES_MISMATCH|BAD_DECRYPT|NO_START_LINE|ERR_OSSL/.test(code)) {
    return refuse(`${file('key.pem')} is not the key of ${file('cert.pem')}, or one of them is not a PEM file`, 'put the client certificate and its own key in DOCKER_CERT_PATH');
  }
  return undefined;
}

/**
 * The warning for an engine reached over plain tcp:// on an address other than loopback: the
 * Engine API is root on its host, and anyone who can reach the port has it. undefined otherwise.
 */
export function exposedEngineWarning(address: EngineAddress): string | undefined {
  const { protocol, host } = address.options;
  if (protocol !== 'http' || typeof host !== 'string' || isLoopback(host)) return undefined;
  return `the Docker engine at ${address.display} is reached without TLS: anyone who can reach that port is root on its host; protect it with --tlsverify and set DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, or use ssh://`;
}

/** {@link exposedEngineWarning} for DOCKER_HOST; an address that cannot be read is left to the connection to report. */
export function exposedEngineWarningFor(environment: NodeJS.ProcessEnv): string | undefined {
  const host = environment.DOCKER_HOST?.trim();
  if (!host || host.startsWith('unix://') || environment.DOCKER_TLS_VERIFY) return undefined;
  try {
    return exposedEngineWarning(engineAddress(environment));
  } catch {
    return undefined;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
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
    username: url.username ? decodeURIComponent(url.username) : (environment.USER ?? process.getBuiltinModule('node:os').userInfo().username),
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
