/** Every secret this process has read (passwords, tokens, auth headers), so no output shows one. */
const secrets = new Set<string>();
/** Longest first, so a secret that contains another is replaced whole; rebuilt when one is added. */
let longestFirst: string[] = [];

/** Shorter values would be replaced inside ordinary words. */
const MIN_SECRET_LENGTH = 4;
const MASK = '********';

/** Remembers a secret for redactSecrets; values shorter than 4 characters are ignored. */
export function rememberSecret(value: string): void {
  if (value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  longestFirst = [...secrets].sort((a, b) => b.length - a.length);
}

/** The text with every remembered secret replaced by `********`. */
export function redactSecrets(text: string): string {
  let redacted = text;
  for (const secret of longestFirst) {
    if (redacted.includes(secret)) redacted = redacted.replaceAll(secret, MASK);
  }
  return redacted;
}
