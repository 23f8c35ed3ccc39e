import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../src/loader/env-file.js';
import type { LoaderError } from '../../src/errors.js';

describe('.env files', () => {
  it('reads the dotenv grammar compose reads', () => {
    const text = [
      '# a comment',
      'PLAIN=value',
      'export EXPORTED=yes',
      'SPACED = around ',
      'COMMENTED=value # trailing comment',
      "SINGLE='literal $PLAIN # not a comment'",
      'DOUBLE="line1\\nline2 ${PLAIN}"',
      'MULTI="first',
      'second"',
      'EMPTY=',
      'REFERENCE=${PLAIN}-ref',
      'INHERITED',
      '',
    ].join('\n');
    expect(parseEnvFile('.env', text, { INHERITED: 'from-process' })).toEqual({
      PLAIN: 'value',
      EXPORTED: 'yes',
      SPACED: 'around',
      COMMENTED: 'value',
      SINGLE: 'literal $PLAIN # not a comment',
      DOUBLE: 'line1\nline2 value',
      MULTI: 'first\nsecond',
      EMPTY: '',
      REFERENCE: 'value-ref',
      INHERITED: 'from-process',
    });
  });

  it('names the file and line of a bad line', () => {
    try {
      parseEnvFile('/p/.env', 'A=1\n1BAD=x\n');
      expect.unreachable();
    } catch (error) {
      expect((error as LoaderError).location).toMatchObject({ file: '/p/.env', line: 2, column: 1 });
    }
  });
});
