import { EngineOperationRunner } from '../engine/operation-runner.js';
import { runOperations } from '../executor/run-operations.js';
import type { UpResult } from '../executor/up.js';
import { observeEngine } from '../engine/observed-state.js';
import { planDown } from '../planner/index.js';
import { progressOf } from '../progress/events.js';
import type { CommandContext } from './global-options.js';
import { printContainerLogs } from './logs.js';
import { progressRenderer } from './progress-option.js';

/**
 * `up` without -d, as compose does it: follow the containers' output until they all stop, or
 * until Ctrl-C, which stops them (in reverse dependency order) and leaves them in place.
 */
export async function attachLogs(result: UpResult, { global, stdout, stderr, status }: CommandContext): Promise<number> {
  const { connection, plan, project } = result;
  const containers = plan.containers.map((container) => ({ id: container.name, name: container.name }));
  const { interrupted } = await printContainerLogs(connection, containers, { follow: true, tail: 'all', timestamps: false }, stdout);
  if (!interrupted) return 0;
  stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
  const stops = planDown(project.name, await observeEngine(connection, project.name, { images: false }), project).operations.filter((operation) => operation.kind === 'StopContainer');
  const renderer = await progressRenderer(global, status);
  try {
    await runOperations(stops, new EngineOperationRunner(connection), { onEvent: (event) => renderer.event(progressOf(event)) });
  } finally {
    renderer.close();
  }
  return 130;
}
