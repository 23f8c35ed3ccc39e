/**
 * Compose durations as compose-go reads them (go-str2duration: Go's time.ParseDuration plus
 * days and weeks) and writes them (Go's Duration.String: "1m30s", "1h0m0s", "500ms").
 */

const UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9, d: 86400e9, w: 604800e9 };
// µ (micro sign) and μ (Greek mu) escaped, so that the CLI bundle is ASCII: one μ made Node decode all of it as UTF-8 and V8 hold it as two-byte text.
const COMPONENT = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h|d|w)/;

/** A duration in nanoseconds, or undefined when the text is not one ("10sec", "5 seconds", "10"). */
export function parseDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  while (rest.length > 0) {
    const match = COMPONENT.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * UNITS[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  return sign * Math.round(total);
}

/** Go's Duration.String() of a number of nanoseconds. */
export function formatDuration(nanoseconds: number): string {
  if (nanoseconds === 0) return '0s';
  const sign = nanoseconds < 0 ? '-' : '';
  const ns = Math.abs(nanoseconds);
  if (ns < 1e3) return `${sign}${ns}ns`;
  if (ns < 1e6) return `${sign}${fraction(ns, 1e3)}µs`;
  if (ns < 1e9) return `${sign}${fraction(ns, 1e6)}ms`;
  const totalSeconds = Math.floor(ns / 1e9);
  const seconds = `${fraction((totalSeconds % 60) * 1e9 + (ns % 1e9), 1e9)}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes === 0) return sign + seconds;
  const hours = Math.floor(totalMinutes / 60);
  return `${sign}${hours > 0 ? `${hours}h` : ''}${totalMinutes % 60}m${seconds}`;
}

/** `value / unit` with the fraction's trailing zeros left out, as Go prints it. */
function fraction(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const rest = value % unit;
  if (rest === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}
