import { describe, expect, it } from 'vitest';
import type { Plan, ProgressEvent } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { engineForTests } from '../helpers/engine.js';
import { fixtureProject } from '../helpers/project.js';

const engine = await engineForTests();

/** The overrides of fixtures/engine/lifecycle: the second changes web's environment, so web alone is recreated. */
const BASE = ['-f', 'compose.yaml'];
const ENV = [...BASE, '-f', 'compose.env.yaml'];

describe.skipIf(!engine)('the plan is what runs: operation ids', () => {
  const project = fixtureProject(engine, 'lifecycle', 'i11-ids');
  const cli = (...args: string[]) => runCli(['-p', project.name, ...args], project.dir);

  /** `up --dry-run --format json`, then `up -d --progress json`: the plan's ids, and the ids of the operations that ran (each done once). */
  async function dryRunThenUp(files: string[]): Promise<{ planned: string[]; ran: string[]; events: ProgressEvent[] }> {
    const dry = await cli(...files, 'up', '--dry-run', '--format', 'json');
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as Plan;
    const real = await cli(...files, '--progress', 'json', 'up', '-d');
    expect(real.code, real.stderr).toBe(0);
    const events = real.stderr.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as ProgressEvent);
    return { planned: plan.operations.map((operation) => operation.id), ran: events.filter((event) => event.status === 'done').map((event) => event.id!), events };
  }

  it('a first up runs exactly the operations its dry run printed, each event naming its operation by id', async () => {
    // Nothing of an earlier run left: the first up creates everything.
    await project.down({ timeout: 1 });
    const { planned, ran, events } = await dryRunThenUp(BASE);
    expect(planned).toContain(`create-container:${project.container('web')}`);
    expect([...ran].sort()).toEqual([...planned].sort());
    expect(events.filter((event) => event.kind !== 'Message' && event.kind !== 'Warning').every((event) => typeof event.id === 'string')).toBe(true);
  });

  it('a change runs exactly the dry run of the change, and then nothing is left to do', async () => {
    const { planned, ran } = await dryRunThenUp(ENV);
    expect(planned).toContain(`create-container:${project.container('web')}`);
    expect(planned).not.toContain(`create-container:${project.container('db')}`);
    expect([...ran].sort()).toEqual([...planned].sort());
    const again = await cli(...ENV, 'plan', '--format', 'json');
    expect((JSON.parse(again.stdout) as Plan).operations).toEqual([]);
  });
});
