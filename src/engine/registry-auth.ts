import { join } from 'node:path';
import { TscomposeError, type SourceLocation } from '../errors.js';
import { dockerConfigDir } from './docker-context.js';
import { rememberSecret } from '../secrets.js';

/** What the engine needs to log in to a registry for a pull or push. */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  identitytoken?: string;
  /** The registry host[:port], without scheme. */
  serveraddress: string;
}

export interface CredentialLookup {
  /** host[:port]; `docker.io` for Docker Hub under any of its names. */
  registry: string;
  /** where they came from, for messages: "auths in /root/.docker/config.json", "credential helper docker-credential-x", or "none" */
  source: string;
  credentials?: RegistryCredentials;
}

/** The docker client config or a credential helper cannot be read; never carries a secret. */
export class RegistryCredentialsError extends TscomposeError {}

/** The key docker writes Docker Hub's login under, and the address its helpers are asked for. */
const HUB_KEY = 'https://index.docker.io/v1/';
const HUB = 'docker.io';
const HUB_HOSTS = new Set([HUB, 'index.docker.io', 'registry-1.docker.io']);
const HELPER_TIMEOUT_MS = 10_000;
/** What every docker-credential-helpers program prints when it holds nothing for the address. */
const HELPER_NOT_FOUND = 'credentials not found in native keychain';
/** A helper's Username meaning that Secret is an identity token. */
const TOKEN_USERNAME = '<token>';

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/**
 * The credentials for a registry, looked up like the docker CLI in $DOCKER_CONFIG/config.json
 * (else ~/.docker/config.json): `credHelpers[host]`, then `credsStore`, then `auths`; the first
 * that has some wins. Every secret read is remembered for redaction.
 */
export async function lookupCredentials(registry: string, options: { env?: NodeJS.ProcessEnv } = {}): Promise<CredentialLookup> {
  const env = options.env ?? process.env;
  const host = registryHost(registry);
  const file = join(dockerConfigDir(env), 'config.json');
  const config = await readDockerConfig(file);
  const helpers = [entryFor(config?.credHelpers, host), config?.credsStore].filter((name): name is string => typeof name === 'string' && name !== '');
  for (const helper of helpers) {
    const credentials = await askHelper(helper, host, env);
    if (credentials) return { registry: host, source: `credential helper docker-credential-${helper}`, credentials };
  }
  const entry = entryFor(config?.auths, host);
  const credentials = entry && credentialsFromEntry(entry, host, file);
  if (credentials) return { registry: host, source: `auths in ${file}`, credentials };
  return { registry: host, source: 'none' };
}

/**
 * X-Registry-Auth value: base64url (RFC 4648 §5) of the JSON {username,password,serveraddress} or {identitytoken,serveraddress}; serveraddress is the host without scheme.
 * Padded: the engine decodes with Go's URLEncoding and silently pulls anonymously when that fails.
 */
export function registryAuthHeader(credentials: RegistryCredentials): string {
  return headerValue(authBody(credentials));
}

/**
 * X-Registry-Config value for POST /build: the credentials of every registry its FROM images
 * come from, keyed as the docker CLI keys them (Docker Hub under https://index.docker.io/v1/),
 * encoded as X-Registry-Auth is.
 */
export function registryConfigHeader(lookups: readonly CredentialLookup[]): string {
  const configs: Record<string, ReturnType<typeof authBody>> = {};
  for (const lookup of lookups) {
    if (lookup.credentials) configs[lookup.registry === HUB ? HUB_KEY : lookup.registry] = authBody(lookup.credentials);
  }
  return headerValue(configs);
}

function authBody(credentials: RegistryCredentials): { username?: string; password?: string; identitytoken?: string; serveraddress: string } {
  const serveraddress = withoutScheme(credentials.serveraddress);
  return credentials.identitytoken
    ? { identitytoken: credentials.identitytoken, serveraddress }
    : { username: credentials.username ?? '', password: credentials.password ?? '', serveraddress };
}

/** Padded base64url of the JSON; remembered as a secret. */
function headerValue(body: unknown): string {
  const header = Buffer.from(JSON.stringify(body)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  rememberSecret(header);
  return header;
}

/** host[:port] of a registry name, URL or config key; `docker.io` for every name of Docker Hub. */
function registryHost(address: string): string {
  const host = withoutScheme(address.trim());
  return HUB_HOSTS.has(host.toLowerCase()) ? HUB : host;
}

function withoutScheme(address: string): string {
  return address.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0]!;
}

/** The value whose key names the host: keys may carry a scheme and path (`https://index.docker.io/v1/`). */
function entryFor<T>(record: Record<string, T> | undefined, host: string): T | undefined {
  if (!record || typeof record !== 'object') return undefined;
  const key = host === HUB ? HUB_KEY : host;
  if (Object.hasOwn(record, key)) return record[key];
  const match = Object.keys(record).find((candidate) => registryHost(candidate) === host);
  return match === undefined ? undefined : record[match];
}

/** The parsed config, or undefined when there is none; remembers every secret in its auths. */
async function readDockerConfig(file: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await process.getBuiltinModule('node:fs/promises').readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RegistryCredentialsError(`cannot read the docker client config ${file}: ${(error as Error).message}`, { cause: error });
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the text around the mistake, which may be a password: only its position is kept.
    throw new RegistryCredentialsError(`the docker client config ${file} is not valid JSON`, { location: jsonErrorLocation(file, text, error) });
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new RegistryCredentialsError(`the docker client config ${file} is not a JSON object`, { location: { file, line: 1, column: 1 } });
  }
  for (const entry of Object.values((config as DockerConfig).auths ?? {})) {
    for (const value of [entry?.auth, entry?.password, entry?.identitytoken]) if (typeof value === 'string') rememberSecret(value);
  }
  return config as DockerConfig;
}

/** Where JSON.parse stopped, when its message says (not for an unexpected token, whose message quotes the text instead). */
function jsonErrorLocation(file: string, text: string, error: unknown): SourceLocation | undefined {
  const position = /at position (\d+)/.exec((error as Error).message)?.[1];
  if (position === undefined) return undefined;
  const before = text.slice(0, Number(position)).split('\n');
  return { file, line: before.length, column: before.at(-1)!.length + 1 };
}

function credentialsFromEntry(entry: AuthEntry, host: string, file: string): RegistryCredentials | undefined {
  if (entry.identitytoken) return { identitytoken: entry.identitytoken, serveraddress: host };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) {
      throw new RegistryCredentialsError(`the auths entry for ${host} in ${file} has an "auth" that is not base64 of user:password`, {
        hint: `log in again: docker login ${host === HUB ? '' : host}`.trimEnd(),
      });
    }
    const password = decoded.slice(colon + 1);
    rememberSecret(password);
    return { username: decoded.slice(0, colon), password, serveraddress: host };
  }
  if (entry.username && entry.password) return { username: entry.username, password: entry.password, serveraddress: host };
  return undefined;
}

/** Runs `docker-credential-<helper> get`; undefined when it holds nothing for the registry. */
async function askHelper(helper: string, host: string, env: NodeJS.ProcessEnv): Promise<RegistryCredentials | undefined> {
  const program = `docker-credential-${helper}`;
  const serverAddress = host === HUB ? HUB_KEY : host;
  const fail = (what: string, cause?: unknown): RegistryCredentialsError =>
    new RegistryCredentialsError(`credential helper ${program} ${what} (asked for ${serverAddress})`, {
      hint: `try it by hand: echo ${serverAddress} | ${program} get`,
      cause,
    });
  const { code, stdout, stderr } = await runHelper(program, serverAddress, env).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') {
      throw new RegistryCredentialsError(`credential helper ${program} is not on PATH`, {
        hint: `the docker client config names "${helper}" in credsStore or credHelpers: install ${program}, or remove it from the config`,
      });
    }
    throw fail(error.code === 'ETIMEDOUT' ? `did not answer within ${HELPER_TIMEOUT_MS / 1000} s` : `could not be run: ${error.code ?? error.message}`);
  });
  // The helper's output is never quoted in a message: it may hold the secret.
  if (code !== 0) {
    if (stdout.includes(HELPER_NOT_FOUND) || stderr.includes(HELPER_NOT_FOUND)) return undefined;
    throw fail(`failed (exit ${code ?? 'by signal'})`);
  }
  let answer: { Username?: unknown; Secret?: unknown };
  try {
    answer = JSON.parse(stdout);
  } catch {
    throw fail('printed something other than JSON');
  }
  if (typeof answer?.Secret !== 'string' || answer.Secret === '') return undefined;
  rememberSecret(answer.Secret);
  const username = typeof answer.Username === 'string' ? answer.Username : '';
  return username === TOKEN_USERNAME
    ? { identitytoken: answer.Secret, serveraddress: host }
    : { username, password: answer.Secret, serveraddress: host };
}

/** Runs the helper with the address on stdin (no newline, like the docker CLI). */
function runHelper(program: string, serverAddress: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // The command is looked up on env.PATH.
    const child = process.getBuiltinModule('node:child_process').spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A helper that exits without reading stdin must not turn into an EPIPE here.
    child.stdin.on('error', () => {});
    child.stdin.end(serverAddress);
    // Own timer rather than spawn's timeout: a killed shell's children could hold the pipes open.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
      reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
    }, HELPER_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}
