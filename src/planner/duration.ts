/** Compose durations ("1m30s", "500ms", "2h") in nanoseconds, as the Engine API wants them. */
export function durationToNanoseconds(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value * 1e9;
  const text = String(value).trim();
  const unit: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  let rest = text;
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * unit[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  return text === '' ? undefined : Math.round(total);
}

export function durationToSeconds(value: unknown): number | undefined {
  const ns = durationToNanoseconds(value);
  return ns === undefined ? undefined : Math.ceil(ns / 1e9);
}
