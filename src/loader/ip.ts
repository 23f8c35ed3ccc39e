/** One byte of a dotted IPv4 address, as node:net's isIPv4 reads it (no leading zeros). */
const V4_BYTE = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const IPV4 = new RegExp(`^(?:${V4_BYTE}\\.){3}${V4_BYTE}$`);

/**
 * node:net's isIP: 4, 6 or 0. A dotted IPv4 address (what compose files mostly hold) is checked
 * here; only text with a colon, which may be IPv6, loads node:net, whose loading cost `config`
 * a few milliseconds for a check of one address.
 */
export function isIP(input: string): number {
  if (IPV4.test(input)) return 4;
  if (!input.includes(':')) return 0;
  return process.getBuiltinModule('node:net').isIPv6(input) ? 6 : 0;
}
