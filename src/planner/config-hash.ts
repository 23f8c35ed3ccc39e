/** JSON with keys sorted at every level, so that equal configurations hash equally. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function configHash(value: unknown): string {
  return hashOfJson(stableJson(value));
}

/** {@link configHash} of a configuration already written by {@link stableJson}. */
export function hashOfJson(json: string): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(json).digest('hex');
}
