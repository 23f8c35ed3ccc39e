import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { engineForTests } from '../helpers/engine.js';
import { fixtureProject } from '../helpers/project.js';

const engine = await engineForTests();

describe.skipIf(!engine)('depends_on with required: false', () => {
  const project = fixtureProject(engine, 'optional-dependency', 'tscompose-it-optional');

  it('starts the dependent of a failed optional dependency, with a warning line', async () => {
    const { code, stderr } = await runCli(['-p', project.name, '--progress', 'plain', 'up', '-d', 'app'], project.dir);
    expect(stderr).toContain(`Container ${project.container('migrate')}  container ${project.container('migrate')} exited with code 3`);
    expect(stderr).toContain('starting its dependents anyway (required: false)');
    expect(code).toBe(0);
    expect((await project.inspect('app')).State.Running).toBe(true);
  });

  it('does not start the dependent of a failed required dependency', async () => {
    const { code, stderr } = await runCli(['-p', project.name, '--progress', 'quiet', 'up', '-d', 'strict'], project.dir);
    expect(code).toBe(1);
    expect(stderr).toContain(`container ${project.container('migrate')} exited with code 3`);
    expect((await project.inspect('strict')).State.Status).toBe('created');
  });
});
