/** `{ [key]: value }`, or nothing when the value is undefined: a request carries only what is set. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
