import { InterpolationError, LoaderError, type SourceLocation } from '../errors.js';
import { interpolate, InterpolationFailure, type Environment } from './interpolate.js';
import { SourceFile } from './source-file.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Reads a `.env` file as compose does: `KEY=value`, `export KEY=value`, `# comments`,
 * 'single quotes' taken literally, "double quotes" with escapes and interpolation,
 * unquoted values with a trailing ` # comment` removed and interpolation, and a bare `KEY`
 * that takes its value from `lookup`. Earlier keys are visible to later values.
 */
export function parseEnvFile(path: string, text: string, lookup: Environment = {}): Record<string, string> {
  const source = new SourceFile(path, text);
  const result: Record<string, string> = {};
  const scope = (): Environment => ({ ...result, ...definedOnly(lookup) });
  let offset = 0;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const lineStart = offset;
    let line = lines[index]!.replace(/\r$/, '');
    offset += lines[index]!.length + 1;
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    line = trimmed.replace(/^export\s+/, '');
    const equals = line.indexOf('=');
    const key = (equals < 0 ? line : line.slice(0, equals)).trim();
    if (!KEY.test(key)) {
      // Env files hold secrets: the line is never shown, only where it is (and its key, when it has one).
      const what = equals < 0 ? 'has no "=" and is not a variable name' : `has an invalid variable name${key.length <= MAX_SHOWN_KEY ? ` "${key}"` : ''}`;
      throw new LoaderError(`invalid line in env file: line ${index + 1} ${what}`, {
        location: hidden(source.at(lineStart)),
        hint: 'each line is KEY=value, with a key of letters, digits and _',
      });
    }
    if (equals < 0) {
      const inherited = lookup[key];
      if (inherited !== undefined) result[key] = inherited;
      continue;
    }
    let raw = line.slice(equals + 1).trimStart();
    const quote = raw[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may run over several lines, up to its closing quote.
      let body = raw.slice(1);
      let closing = findClosingQuote(body, quote);
      while (closing < 0 && index + 1 < lines.length) {
        index++;
        body += '\n' + lines[index]!.replace(/\r$/, '');
        offset += lines[index]!.length + 1;
        closing = findClosingQuote(body, quote);
      }
      if (closing < 0) throw new LoaderError(`unterminated quoted value for ${key} in env file`, { location: hidden(source.at(lineStart)) });
      body = body.slice(0, closing);
      result[key] = quote === "'" ? body : expandValue(unescapeDouble(body), scope(), source, lineStart, key);
      continue;
    }
    const comment = raw.search(/\s#/);
    if (comment >= 0) raw = raw.slice(0, comment);
    result[key] = expandValue(raw.trimEnd(), scope(), source, lineStart, key);
  }
  return result;
}

function definedOnly(environment: Environment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(environment)) if (value !== undefined) out[key] = value;
  return out;
}

function findClosingQuote(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && quote === '"') i++;
    else if (body[i] === quote) return i;
  }
  return -1;
}

function unescapeDouble(body: string): string {
  return body.replace(/\\([nrt"\\$])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? (c === '$' ? '$$' : c));
}

function expandValue(value: string, environment: Environment, source: SourceFile, lineStart: number, key: string): string {
  try {
    return interpolate(value, environment).value;
  } catch (error) {
    if (!(error instanceof InterpolationFailure)) throw error;
    // The failure's own message quotes the value; say only which key and where.
    throw new InterpolationError(`the value of ${key} in env file cannot be interpolated`, { location: hidden(source.at(lineStart)), hint: error.hint });
  }
}

/** Longer "keys" are likely a value written without its key, and are not shown. */
const MAX_SHOWN_KEY = 64;

/** A location in an env file without the line's text, which would show its value. */
function hidden(location: SourceLocation): SourceLocation {
  const { excerpt: _excerpt, ...place } = location;
  return place;
}
