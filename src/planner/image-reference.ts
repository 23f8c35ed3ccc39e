import { TscomposeError } from '../errors.js';

/**
 * An image reference taken apart the way the engine reads it (distribution/reference's
 * "familiar" names): `busybox` is `docker.io` + `library/busybox` + tag `latest`.
 */
export interface ImageReference {
  /** host[:port]; `docker.io` for Docker Hub, whichever of its names was written. */
  registry: string;
  /** The path inside the registry; Hub's official images get their `library/` prefix. */
  repository: string;
  /** `latest` when neither a tag nor a digest is written. */
  tag?: string;
  /** `algorithm:hex`, e.g. `sha256:…`. */
  digest?: string;
}

/** An image reference the engine would refuse. */
export class InvalidImageReferenceError extends TscomposeError {}

const HUB = 'docker.io';
const HUB_ALIASES = new Set([HUB, 'index.docker.io']);
const OFFICIAL_PREFIX = 'library/';
const NAME_MAX_LENGTH = 255;
/** Hex lengths of the digest algorithms the engine accepts. */
const DIGEST_HEX_LENGTHS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

// The grammar of distribution/reference (reference/regexp.go).
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*';
const PATH = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]{32,})$/;
const IMAGE_ID = /^[a-f0-9]{64}$/;

/** Takes a reference apart; throws InvalidImageReferenceError for one the engine would refuse. */
export function parseImageReference(reference: string): ImageReference {
  const invalid = (reason: string): InvalidImageReferenceError =>
    new InvalidImageReferenceError(`invalid image reference "${reference}": ${reason}`);
  if (reference === '') throw invalid('it is empty');
  if (IMAGE_ID.test(reference)) throw invalid('a 64-character hexadecimal string is an image ID, not a repository name');

  const [nameAndTag, digest, ...more] = reference.split('@') as [string, string?, ...string[]];
  if (more.length > 0) throw invalid('more than one "@"');
  if (digest !== undefined) checkDigest(digest, invalid);

  // A ":" after the last "/" starts the tag; one before it belongs to the registry's port.
  const colon = nameAndTag.lastIndexOf(':');
  const hasTag = colon > nameAndTag.lastIndexOf('/');
  const name = hasTag ? nameAndTag.slice(0, colon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(colon + 1) : undefined;
  if (name === '') throw invalid('it names no repository');
  if (tag !== undefined && !TAG.test(tag)) {
    throw invalid(`tag "${tag}" must be 1 to 128 letters, digits, "_", "." or "-", not starting with "." or "-"`);
  }

  const { registry, repository } = splitRegistry(name);
  if (!DOMAIN.test(registry)) throw invalid(`"${registry}" is not a registry host[:port]`);
  if (repository.toLowerCase() !== repository) throw invalid(`repository name "${repository}" must be lowercase`);
  if (!PATH.test(repository)) {
    throw invalid(`repository name "${repository}" must be "/"-separated parts of lowercase letters and digits, joined inside a part by ".", "_", "__" or "-"`);
  }
  if (registry.length + 1 + repository.length > NAME_MAX_LENGTH) throw invalid(`the name is longer than ${NAME_MAX_LENGTH} characters`);

  return { registry, repository, ...(tag !== undefined || digest === undefined ? { tag: tag ?? 'latest' } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** The name as `docker images` shows it: "busybox:latest", "127.0.0.1:5000/x/y:1" (Hub's library/ and docker.io/ dropped), default tag latest unless a digest is given. */
export function familiarName(reference: string): string {
  const parsed = parseImageReference(reference);
  return familiarRepository(parsed) + (parsed.tag !== undefined ? `:${parsed.tag}` : '') + (parsed.digest !== undefined ? `@${parsed.digest}` : '');
}

/** Query for POST /images/create: fromImage (without tag/digest) and tag (the tag, or the digest). */
export function pullQuery(reference: string): { fromImage: string; tag: string } {
  const parsed = parseImageReference(reference);
  // Like the docker CLI: with both a tag and a digest, the digest is what gets pulled.
  return { fromImage: familiarRepository(parsed), tag: parsed.digest ?? parsed.tag! };
}

/** The registry host credentials are looked up under: "docker.io" for Docker Hub. */
export function registryOf(reference: string): string {
  return parseImageReference(reference).registry;
}

/** A first component is a registry when it has "." or ":", is "localhost", or has uppercase letters. */
function splitRegistry(name: string): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  if (slash === -1) return { registry: HUB, repository: OFFICIAL_PREFIX + name };
  const first = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  if (first === 'localhost') return { registry: first, repository: rest };
  if (!/[.:]/.test(first) && first.toLowerCase() === first) return { registry: HUB, repository: name };
  if (!HUB_ALIASES.has(first)) return { registry: first, repository: rest };
  return { registry: HUB, repository: rest.includes('/') ? rest : OFFICIAL_PREFIX + rest };
}

function familiarRepository({ registry, repository }: ImageReference): string {
  if (registry !== HUB) return `${registry}/${repository}`;
  const official = repository.startsWith(OFFICIAL_PREFIX) && !repository.slice(OFFICIAL_PREFIX.length).includes('/');
  return official ? repository.slice(OFFICIAL_PREFIX.length) : repository;
}

function checkDigest(digest: string, invalid: (reason: string) => Error): void {
  const match = DIGEST.exec(digest);
  if (!match) throw invalid(`digest "${digest}" must be algorithm:hex, e.g. sha256: and 64 hex digits`);
  const [, algorithm, hex] = match as unknown as [string, string, string];
  const length = DIGEST_HEX_LENGTHS[algorithm];
  if (length === undefined) throw invalid(`digest algorithm "${algorithm}" is not supported (sha256, sha384 or sha512)`);
  if (!new RegExp(`^[a-f0-9]{${length}}$`).test(hex)) throw invalid(`a ${algorithm} digest is ${length} lowercase hex digits`);
}
