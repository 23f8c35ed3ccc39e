import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../../src/loader/index.js';
import { ComposeFileNotFoundError } from '../../src/errors.js';
import { tempProject } from '../helpers/fixtures.js';

const SERVICE = 'services:\n  web:\n    image: tscompose/busybox:latest\n';

describe('compose file discovery', () => {
  it('finds the file in a parent directory and names the project after that directory', () => {
    const dir = tempProject({ 'compose.yaml': SERVICE, 'src/deep/.keep': '' }, 'My_Shop');
    const { project } = load({ workingDir: join(dir, 'src', 'deep'), environment: {} });
    expect(project.config_files).toEqual([join(dir, 'compose.yaml')]);
    expect(project.working_dir).toBe(dir);
    expect(project.name).toBe('my_shop');
  });

  it('prefers compose.yaml and warns when several names are present', () => {
    const dir = tempProject({ 'compose.yaml': SERVICE, 'docker-compose.yml': 'services:\n  other:\n    image: x\n' });
    const { project, warnings } = load({ workingDir: dir, environment: {} });
    expect(Object.keys(project.services)).toEqual(['web']);
    expect(warnings[0]!.message).toMatch(/found several compose files .*using compose\.yaml/);
  });

  it('finds docker-compose.yml with its docker-compose.override.yml', () => {
    const dir = tempProject({ 'docker-compose.yml': SERVICE, 'docker-compose.override.yml': 'services:\n  web:\n    hostname: overridden\n' });
    const { project } = load({ workingDir: dir, environment: {} });
    expect(project.services.web!.hostname).toBe('overridden');
  });

  it('uses --project-directory for .env and the project name', () => {
    const dir = tempProject({ 'files/compose.yaml': 'services:\n  web:\n    image: "x:${TAG}"\n', 'root/.env': 'TAG=from-root\n' }, 'p');
    const { project } = load({ workingDir: dir, files: ['files/compose.yaml'], projectDirectory: 'root', environment: {} });
    expect(project.services.web!.image).toBe('x:from-root');
    expect(project.name).toBe('root');
  });

  it('reads COMPOSE_PROJECT_NAME and COMPOSE_FILE from .env', () => {
    const dir = tempProject({ 'main.yaml': SERVICE, '.env': 'COMPOSE_FILE=main.yaml\nCOMPOSE_PROJECT_NAME=fromenv\n' });
    const { project } = load({ workingDir: dir, environment: {} });
    expect(project.name).toBe('fromenv');
  });

  it('says where it looked when there is no compose file', () => {
    const dir = tempProject({ 'readme.txt': '' });
    expect(() => load({ workingDir: dir, environment: {} })).toThrow(ComposeFileNotFoundError);
    expect(() => load({ workingDir: dir, files: ['missing.yaml'], environment: {} })).toThrow(`compose file not found: ${join(dir, 'missing.yaml')}`);
  });
});
