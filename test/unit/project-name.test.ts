import { describe, expect, it } from 'vitest';
import { normalizeProjectName, resolveProjectName } from '../../src/loader/project-name.js';
import { ProjectNameError } from '../../src/errors.js';

describe('project name', () => {
  it('takes -p, then COMPOSE_PROJECT_NAME, then name:, then the directory', () => {
    const file = { name: 'fromfile' };
    expect(resolveProjectName({ flag: 'flag', environment: 'env', file, projectDir: '/x/Dir' })).toBe('flag');
    expect(resolveProjectName({ environment: 'env', file, projectDir: '/x/Dir' })).toBe('env');
    expect(resolveProjectName({ file, projectDir: '/x/Dir' })).toBe('fromfile');
    expect(resolveProjectName({ projectDir: '/x/My.Project Dir' })).toBe('myprojectdir');
  });

  it('normalizes a directory name like compose', () => {
    expect(normalizeProjectName('_My App-2')).toBe('myapp-2');
    expect(normalizeProjectName('--x_y')).toBe('x_y');
  });

  it('rejects an invalid explicit name instead of changing it', () => {
    expect(() => resolveProjectName({ flag: 'My App', projectDir: '/x' })).toThrow(ProjectNameError);
    expect(() => resolveProjectName({ flag: 'My App', projectDir: '/x' })).toThrow(/invalid project name "My App" \(from -p\)/);
    expect(() => resolveProjectName({ environment: '_x', projectDir: '/x' })).toThrow(/COMPOSE_PROJECT_NAME/);
  });

  it('rejects a directory whose name leaves nothing', () => {
    expect(() => resolveProjectName({ projectDir: '/x/___' })).toThrow(ProjectNameError);
  });
});
