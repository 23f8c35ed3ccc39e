import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { load } from '../../src/loader/index.js';
import { flattenErrors, LoaderError } from '../../src/errors.js';
import { fixture } from '../helpers/fixtures.js';

/**
 * Every file in fixtures/invalid/ starts with the errors it must give:
 * `# expect: LINE:COL message part | hint part` (or without LINE:COL where only the message matters).
 */
const files = readdirSync(fixture('invalid')).filter((name) => name.endsWith('.yaml'));

function expectations(text: string) {
  return [...text.matchAll(/^# expect: (?:(\d+):(\d+) )?([^|\n]+?)(?: \| (.+))?$/gm)].map((m) => ({
    line: m[1] === undefined ? undefined : Number(m[1]),
    column: m[2] === undefined ? undefined : Number(m[2]),
    message: m[3]!,
    hint: m[4],
  }));
}

describe('invalid compose files', () => {
  it.each(files)('%s gives the error it declares, at its line and column', (name) => {
    const path = fixture('invalid', name);
    const expected = expectations(readFileSync(path, 'utf8'));
    expect(expected.length).toBeGreaterThan(0);
    let thrown: unknown;
    try {
      load({ files: [path], environment: {} });
    } catch (error) {
      thrown = error;
    }
    expect(thrown, 'loading must fail').toBeInstanceOf(Error);
    const errors = flattenErrors(thrown) as LoaderError[];
    for (const want of expected) {
      const match = errors.find((error) => error.message.includes(want.message));
      expect(match, `an error containing "${want.message}" among: ${errors.map((e) => e.message).join(' / ')}`).toBeDefined();
      expect(match).toBeInstanceOf(LoaderError);
      expect(match!.file).toBe(path);
      if (want.line !== undefined) expect({ line: match!.line, column: match!.column }).toEqual({ line: want.line, column: want.column });
      if (want.hint !== undefined) expect(match!.hint).toContain(want.hint);
    }
    expect(errors).toHaveLength(expected.length);
  });
});
