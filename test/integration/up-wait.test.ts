import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { engineForTests } from '../helpers/engine.js';
import { fixtureProject } from '../helpers/project.js';

const engine = await engineForTests();

describe.skipIf(!engine)('up --wait', () => {
  const project = fixtureProject(engine, 'wait', 'tscompose-it-wait');

  it('returns 0 once every container is running and the healthchecked ones are healthy', async () => {
    const { code, stderr } = await runCli(['-p', project.name, '--progress', 'plain', 'up', '--wait', 'ready', 'plain'], project.dir);
    expect(stderr).toContain(`Container ${project.container('ready')}  Healthy`);
    expect(code).toBe(0);
    expect((await project.inspect('ready')).State.Health?.Status).toBe('healthy');
    expect((await project.inspect('plain')).State.Running).toBe(true);
  });

  it('exits non-zero naming the container when --wait-timeout runs out', async () => {
    const { code, stderr } = await runCli(['-p', project.name, '--progress', 'quiet', 'up', '--wait', '--wait-timeout', '3', 'never'], project.dir);
    expect(code).toBe(1);
    expect(stderr).toContain(`not ready after 3 s: ${project.container('never')}`);
  });
});
