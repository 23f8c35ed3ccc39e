import { describe, expect, it } from 'vitest';
import { interpolate, InterpolationFailure } from '../../src/loader/interpolate.js';

const env = { NAME: 'web', EMPTY: '', PORT: '8080' };
const expand = (text: string) => interpolate(text, env).value;

describe('interpolation', () => {
  it('expands $VAR and ${VAR}', () => {
    expect(expand('$NAME-${NAME}')).toBe('web-web');
    expect(expand('${PORT}:80')).toBe('8080:80');
  });

  it('turns $$ into a literal $', () => {
    expect(expand('echo $$HOME $${NAME}')).toBe('echo $HOME ${NAME}');
  });

  it('applies :- and - defaults', () => {
    expect(expand('${MISSING:-a}|${EMPTY:-b}|${NAME:-c}')).toBe('a|b|web');
    expect(expand('${MISSING-a}|${EMPTY-b}|${NAME-c}')).toBe('a||web');
  });

  it('applies :+ and + alternatives', () => {
    expect(expand('${NAME:+alt}|${EMPTY:+alt}|${MISSING:+alt}')).toBe('alt||');
    expect(expand('${NAME+alt}|${EMPTY+alt}|${MISSING+alt}')).toBe('alt|alt|');
  });

  it('nests defaults', () => {
    expect(expand('${MISSING:-${ALSO_MISSING:-${NAME}}}')).toBe('web');
    expect(expand('${MISSING:-prefix-${PORT}-suffix}')).toBe('prefix-8080-suffix');
  });

  it('fails on :? and ? with the variable and its message', () => {
    expect(() => expand('${MISSING:?set it please}')).toThrow('required variable MISSING is not set: set it please');
    expect(() => expand('${EMPTY:?must not be empty}')).toThrow('required variable EMPTY is empty: must not be empty');
    expect(expand('${EMPTY?only unset fails}')).toBe('');
    expect(() => expand('${MISSING?}')).toThrow('required variable MISSING is not set');
  });

  it('reports where in the string the failing reference starts', () => {
    try {
      expand('abc ${MISSING:?x}');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InterpolationFailure);
      expect((error as InterpolationFailure).offset).toBe(4);
    }
  });

  it('lists unset variables without a default, which compose replaces by ""', () => {
    const result = interpolate('a${MISSING}b$OTHER', env);
    expect(result.value).toBe('ab');
    expect(result.unset.map((u) => u.name)).toEqual(['MISSING', 'OTHER']);
  });

  it('rejects malformed references', () => {
    expect(() => expand('${}')).toThrow('a variable name is missing');
    expect(() => expand('${NAME')).toThrow('unterminated');
    expect(() => expand('${NAME:x}')).toThrow('unexpected ":"');
    // compose-go keeps a "$" that starts no reference as written.
    expect(expand('trailing $ and $(date) and $1')).toBe('trailing $ and $(date) and $1');
  });
});
