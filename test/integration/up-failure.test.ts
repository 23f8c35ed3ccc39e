import { describe, expect, it } from 'vitest';
import { OperationFailedError } from '../../src/executor/run-operations.js';
import { engineForTests } from '../helpers/engine.js';
import { fixtureProject, NOTHING } from '../helpers/project.js';

const engine = await engineForTests();

describe.skipIf(!engine)('a failure half-way through up', () => {
  const project = fixtureProject(engine, 'half-way', 'tscompose-it-halfway');

  it('names the service and the engine message, leaves only labeled resources, and down removes them all', async () => {
    const failure = await project.up().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(OperationFailedError);
    expect((failure as Error).message).toMatch(/StartContainer container tscompose-it-halfway-broken-1 failed: .*\/no\/such\/program/);

    const left = await project.resources();
    expect(left.networks).toEqual(['tscompose-it-halfway_back', 'tscompose-it-halfway_front']);
    expect(left.volumes).toEqual(['tscompose-it-halfway_data']);
    expect(left.containers).toEqual(['tscompose-it-halfway-broken-1', 'tscompose-it-halfway-first-1']);

    await project.down({ removeVolumes: true });
    expect(await project.resources()).toEqual(NOTHING);
  });
});
