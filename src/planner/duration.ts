import { parseDuration } from '../loader/duration.js';

/** Compose durations ("1m30s", "500ms", "2h"; checked by the loader) in nanoseconds, as the Engine API wants them. */
export function durationToNanoseconds(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value * 1e9;
  return parseDuration(String(value).trim());
}

export function durationToSeconds(value: unknown): number | undefined {
  const ns = durationToNanoseconds(value);
  return ns === undefined ? undefined : Math.ceil(ns / 1e9);
}
