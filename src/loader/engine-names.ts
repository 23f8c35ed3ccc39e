/**
 * The names the Engine takes (container names the schema checks). Local volumes: moby's
 * RestrictedNamePattern (daemon/names), `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, so at least two
 * characters. Networks: Engine 20.10 checks nothing and creates `rel bad/net!`, which its own
 * API paths then cannot name (every later request for it fails); the same characters are
 * required, one character allowed.
 */
export const ENGINE_VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
export const ENGINE_NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function nameRuleHint(kind: 'volume' | 'network'): string {
  const length = kind === 'network' ? '' : ', at least two characters';
  return `a ${kind} name starts with a letter or digit and holds only letters, digits, "_", "." and "-"${length}`;
}
