import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../../src/loader/index.js';
import { flattenErrors, LoaderError, UnresolvedReferenceError } from '../../src/errors.js';
import { tempProject } from '../helpers/fixtures.js';

function loadError(files: Record<string, string>, options: Parameters<typeof load>[0] = {}): LoaderError {
  const dir = tempProject(files);
  try {
    load({ workingDir: dir, environment: {}, ...options });
  } catch (error) {
    return error as LoaderError;
  }
  throw new Error('expected the project to be invalid');
}

describe('errors across files', () => {
  it('names the override file and line of a problem in it', () => {
    const error = loadError(
      { 'compose.yaml': 'services:\n  web:\n    image: x\n', 'compose.override.yaml': 'services:\n  web:\n    ports:\n      - "99999:80"\n' },
    );
    expect(error.message).toContain('host port 99999 is out of range');
    expect(error.file!.endsWith('compose.override.yaml')).toBe(true);
    expect(error.line).toBe(4);
  });

  it('reports the problems of every file in one run', () => {
    const error = loadError({ 'a.yaml': 'services:\n  a:\n    imag: x\n', 'b.yaml': 'services:\n  b:\n    imgae: x\n' }, { files: ['a.yaml', 'b.yaml'] });
    const files = flattenErrors(error).map((e) => (e as LoaderError).file!.split('/').pop());
    expect(files).toEqual(['a.yaml', 'b.yaml']);
  });

  it('rejects extends of a service that does not exist, with a suggestion', () => {
    const error = loadError({ 'compose.yaml': 'services:\n  web:\n    extends: bse\n  base:\n    image: x\n' });
    expect(error).toBeInstanceOf(UnresolvedReferenceError);
    expect(error.message).toContain('extends service "bse", which is not defined');
    expect(error.hint).toBe('did you mean "base"?');
    expect(error.line).toBe(3);
  });

  it('rejects extends that loops, naming each step with its file and line', () => {
    const error = loadError({ 'compose.yaml': 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n' });
    expect(error.message).toMatch(/^extends cycle: services\.a \(.*compose\.yaml:3\) → services\.b \(.*compose\.yaml:5\) → services\.a \(.*compose\.yaml:3\)$/);
    expect(error.line).toBe(3);
  });

  it('rejects extends that loops through other files, at the step that comes back', () => {
    const error = loadError({
      'compose.yaml': 'services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n',
      'base.yaml': 'services:\n  base:\n    image: x\n    extends:\n      file: compose.yaml\n      service: web\n',
    });
    expect(error.message).toMatch(/^extends cycle: services\.base \(.*base\.yaml:4\) → services\.web \(.*compose\.yaml:3\) → services\.base \(.*base\.yaml:4\)$/);
    expect(error.file).toMatch(/base\.yaml$/);
    expect(error.line).toBe(4);
  });

  it('rejects a service that extends itself through its own file', () => {
    const error = loadError({ 'compose.yaml': 'services:\n  web:\n    image: x\n    extends:\n      file: compose.yaml\n      service: web\n' });
    expect(error.message).toMatch(/^extends cycle: services\.web \(.*compose\.yaml:4\) → services\.web/);
  });

  it('rejects extends of a file that does not exist', () => {
    const error = loadError({ 'compose.yaml': 'services:\n  a:\n    extends:\n      file: nowhere.yaml\n      service: x\n' });
    expect(error.message).toContain('nowhere.yaml, which does not exist');
    expect(error.line).toBe(4);
  });

  it('names the profile when an enabled service depends on a disabled one', () => {
    const error = loadError({ 'compose.yaml': 'services:\n  web:\n    image: x\n    depends_on: [db]\n  db:\n    image: x\n    profiles: [data]\n' });
    expect(error.message).toBe('service "web" depends on "db", which no active profile enables');
    expect(error.line).toBe(4);
  });

  it('!reset and !override in an override file', () => {
    const dir = tempProject({
      'compose.yaml': 'services:\n  web:\n    image: x\n    ports: ["80:80"]\n    environment: {A: "1", B: "2"}\n',
      'compose.override.yaml': 'services:\n  web:\n    ports: !reset []\n    environment: !override {C: "3"}\n',
    });
    const { project } = load({ workingDir: dir, environment: {} });
    expect(project.services.web!.ports).toEqual([]);
    expect(project.services.web!.environment).toEqual({ C: '3' });
    expect(join(dir, 'compose.override.yaml')).toBe(project.config_files[1]);
  });
});
