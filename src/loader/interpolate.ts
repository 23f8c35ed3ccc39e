/** Variables visible to interpolation: the process environment over the env files. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Why a string could not be interpolated, and where in the string (0-based offset). */
export class InterpolationFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export interface InterpolationResult {
  value: string;
  /** Variables referenced without a default that were not set (compose warns and uses ""). */
  unset: { name: string; offset: number }[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const ESCAPE_HINT = 'write $$ for a literal $';

/**
 * Expands `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`,
 * `${VAR?message}`, `${VAR:+alt}`, `${VAR+alt}` (defaults may nest) and `$$` → `$`,
 * as compose does.
 */
export function interpolate(text: string, env: Environment): InterpolationResult {
  const unset: InterpolationResult['unset'] = [];
  const value = expand(text, 0, text.length, env, unset);
  return { value, unset };
}

/** Whether a string has anything for interpolation to do. */
export function needsInterpolation(text: string): boolean {
  return text.includes('$');
}

function expand(text: string, start: number, end: number, env: Environment, unset: InterpolationResult['unset']): string {
  let out = '';
  let i = start;
  while (i < end) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0 || dollar >= end) {
      out += text.slice(i, end);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const closing = findClosingBrace(text, dollar + 2, end);
      if (closing < 0) throw new InterpolationFailure(`unterminated variable reference "${text.slice(dollar, end)}"`, dollar, 'close it with }');
      out += expandBraced(text, dollar, closing, env, unset);
      i = closing + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      let nameEnd = dollar + 2;
      while (nameEnd < end && NAME_CHAR.test(text[nameEnd]!)) nameEnd++;
      const name = text.slice(dollar + 1, nameEnd);
      const found = env[name];
      if (found === undefined) unset.push({ name, offset: dollar });
      out += found ?? '';
      i = nameEnd;
    } else {
      // Like compose-go, a "$" that starts no reference ("$(date)", "^REGEX$", "a $ b") is kept as written.
      out += '$';
      i = dollar + 1;
    }
  }
  return out;
}

/**
 * The index of the `}` that closes a `${` whose body starts at `from`. Every `{` nests, not only
 * those of `${`, so that `${JSON:-{"a":1}}` takes the whole JSON as its default (as compose-go does).
 */
function findClosingBrace(text: string, from: number, end: number): number {
  let depth = 0;
  for (let i = from; i < end; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '$') i++;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;

function expandBraced(text: string, dollar: number, closing: number, env: Environment, unset: InterpolationResult['unset']): string {
  const bodyStart = dollar + 2;
  let nameEnd = bodyStart;
  if (nameEnd < closing && NAME_START.test(text[nameEnd]!)) {
    nameEnd++;
    while (nameEnd < closing && NAME_CHAR.test(text[nameEnd]!)) nameEnd++;
  }
  const name = text.slice(bodyStart, nameEnd);
  const reference = text.slice(dollar, closing + 1);
  if (name === '') throw new InterpolationFailure(`invalid variable reference "${reference}": a variable name is missing`, dollar, ESCAPE_HINT);

  const value = env[name];
  if (nameEnd === closing) {
    if (value === undefined) unset.push({ name, offset: dollar });
    return value ?? '';
  }
  const operator = OPERATORS.find((op) => text.startsWith(op, nameEnd));
  if (operator === undefined) {
    throw new InterpolationFailure(`invalid variable reference "${reference}": unexpected "${text[nameEnd]}" after ${name}`, nameEnd, 'use ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt} or ${VAR+alt}');
  }
  const wordStart = nameEnd + operator.length;
  const word = () => expand(text, wordStart, closing, env, unset);
  const isSet = value !== undefined;
  const isNonEmpty = isSet && value !== '';
  switch (operator) {
    case ':-':
      return isNonEmpty ? value! : word();
    case '-':
      return isSet ? value! : word();
    case ':+':
      return isNonEmpty ? word() : '';
    case '+':
      return isSet ? word() : '';
    case ':?':
    case '?': {
      if (operator === ':?' ? isNonEmpty : isSet) return value!;
      const message = word();
      const state = isSet ? 'is empty' : 'is not set';
      throw new InterpolationFailure(`required variable ${name} ${state}${message ? `: ${message}` : ''}`, dollar, `set ${name} in the environment or in the project's .env file`);
    }
  }
}
