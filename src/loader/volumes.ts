import { posix } from 'node:path';

type Data = Record<string, unknown>;

const PROPAGATIONS = new Set(['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave']);
const SELINUX = new Set(['z', 'Z']);

/** Why a short volume entry is invalid; the caller attaches the location. */
export class VolumeFailure extends Error {}

/** Whether a volume source is a host path (a bind mount) rather than a volume name, as compose-go decides. */
export function isHostPath(source: string): boolean {
  return /^[./~]/.test(source) || source.startsWith('\\\\') || /^[A-Za-z]:/.test(source);
}

/**
 * `[SOURCE:]TARGET[:OPTIONS]` in the long form compose-go's ParseVolume gives: bind mounts
 * create a missing host path, `ro`/`nocopy`/propagation/SELinux options become their keys.
 */
export function parseShortVolume(spec: string): Data {
  if (spec === '') throw new VolumeFailure('invalid empty volume spec');
  if (spec.length <= 2) return { type: 'volume', target: spec };
  const parts = splitVolumeSpec(spec);
  if (parts.some((part) => part === '')) throw new VolumeFailure(`invalid volume "${spec}": empty section between colons`);
  if (parts.length > 3) throw new VolumeFailure(`invalid volume "${spec}": too many colons`);
  if (parts.length === 1) return { type: 'volume', target: cleanTarget(parts[0]!), volume: {} };
  const [source, target, options] = parts as [string, string, string?];
  const volume: Data = { type: isHostPath(source) ? 'bind' : 'volume', source, target: cleanTarget(target) };
  const bind: Data = {};
  for (const option of (options ?? '').split(',')) {
    if (option === 'ro') volume.read_only = true;
    else if (option === 'rw') volume.read_only = false;
    else if (option === 'nocopy') volume.volume = { nocopy: true };
    else if (PROPAGATIONS.has(option)) bind.propagation = option;
    else if (SELINUX.has(option)) bind.selinux = option;
  }
  if (volume.type === 'bind') volume.bind = { ...bind, create_host_path: true };
  else volume.volume ??= {};
  return volume;
}

/** Splits on ":" except after a Windows drive letter ("C:\\data:/data") and inside "${…}". */
function splitVolumeSpec(spec: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (let i = 0; i < spec.length; i++) {
    const char = spec[i]!;
    if (char === '$' && spec[i + 1] === '{') depth++;
    else if (char === '}' && depth > 0) depth--;
    if (char === ':' && depth === 0 && !(current.length === 1 && /[A-Za-z]/.test(current))) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

function cleanTarget(target: string): string {
  const clean = posix.normalize(target);
  return clean.length > 1 ? clean.replace(/\/$/, '') : clean;
}
