/** A boolean environment variable as compose reads it (Go's strconv.ParseBool): 1, t, T, true, TRUE, True; anything else is false. */
export function envFlag(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}
