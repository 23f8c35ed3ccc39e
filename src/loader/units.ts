import type { DeviceMapping } from './model.js';

/**
 * Resource amounts as compose-go reads them: byte sizes (go-units' RAMInBytes, 1024-based),
 * CPU counts, device mappings and device counts. Each returns undefined for text it cannot read.
 */

const BYTE_SIZE = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i;
const POWERS = ' kmgtp';

/** `512m`, `1.5g`, `64M`, `1024`, `-1` → bytes; a unit is a power of 1024, the result truncated as go-units does. */
export function parseByteSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Math.trunc(value);
  const text = String(value).trim();
  if (/^[+-]?\d+$/.test(text)) return Number(text);
  const match = BYTE_SIZE.exec(text);
  if (!match) return undefined;
  const power = POWERS.indexOf((match[2] ?? ' ').toLowerCase());
  return Math.trunc(Number(match[1]) * 1024 ** power);
}

/** `1.5`, `"0.5"` → a number of CPUs. */
export function parseCpus(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  const cpus = Number(text);
  return text !== '' && Number.isFinite(cpus) ? cpus : undefined;
}

/** `HOST[:CONTAINER[:PERMISSIONS]]` in long form, the container path the host's and permissions rwm unless given (compose-go's transformDeviceMapping). */
export function parseDeviceMapping(text: string): DeviceMapping | undefined {
  const parts = text.split(':');
  if (parts.length > 3) return undefined;
  const [source = '', target = '', permissions = 'rwm'] = parts;
  return { source, target: target === '' ? source : target, permissions };
}

/** A device request's count: `all` is -1, as compose-go's DeviceCount and the Engine API read it. */
export function parseDeviceCount(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  if (text.toLowerCase() === 'all') return -1;
  return /^\d+$/.test(text) ? Number(text) : undefined;
}
