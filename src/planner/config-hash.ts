import { byCodeUnits, sortInPlace } from './sort.js';

/** JSON with keys sorted at every level, so that equal configurations hash equally. */
export function stableJson(value: unknown): string {
  if (typeof value === 'string') return quoted(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Built by appending, without an array per level: it runs for every service of every plan.
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      // A hole in a sparse array is written as nothing, as join() writes it.
      out += (index === 0 ? '' : ',') + (item === undefined && !(index in value) ? '' : stableJson(item));
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  out = '{';
  for (const key of sortInPlace(Object.keys(record), byCodeUnits)) {
    const entry = record[key];
    if (entry === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${quoted(key)}:${stableJson(entry)}`;
  }
  return `${out}}`;
}

/** What JSON.stringify escapes in a string: quote, backslash, control characters and (lone) surrogates. */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON.stringify writes it; one with nothing to escape (most names and values) without calling it, which costs more than the check. */
function quoted(text: string): string {
  return ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`;
}

export function configHash(value: unknown): string {
  return sha256(stableJson(value));
}

export function sha256(text: string): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(text).digest('hex');
}
