import { EngineOperationRunner } from '../engine/operation-runner.js';
import { containerExitCode } from '../engine/project-containers.js';
import { runOperations } from '../executor/run-operations.js';
import type { UpResult } from '../executor/up.js';
import { observeEngine } from '../engine/observed-state.js';
import { planDown } from '../planner/index.js';
import { progressOf } from '../progress/events.js';
import type { CommandContext } from './global-options.js';
import type { InterruptQueue } from './interrupts.js';
import { printContainerLogs } from './logs.js';
import { progressRenderer } from './progress-option.js';

/**
 * `up` without -d, as compose does it: follow the containers' output, with a
 * `<container> exited with code N` line as each one stops, until they all have. Ctrl-C or SIGTERM
 * stops them (in reverse dependency order, each with its grace period) and leaves them in place;
 * a second one stops them at once. A clean stop exits 0, as compose's does.
 */
export async function attachLogs(result: UpResult, context: CommandContext, interrupts: InterruptQueue, timeout?: number): Promise<number> {
  const { connection, plan } = result;
  const containers = plan.containers.map((container) => ({ id: container.name, name: container.name }));
  const stops: Promise<void>[] = [];
  interrupts.handle((count) => {
    if (count === 1) context.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
    stops.push(stopContainers(result, context, count === 1 ? timeout : 0));
  });
  await printContainerLogs(connection, containers, { follow: true, tail: 'all', timestamps: false }, context.stdout, { prefix: true, color: true }, {
    onEnd: async (container) => {
      const code = await containerExitCode(connection, container.id);
      return code === undefined ? undefined : `exited with code ${code}`;
    },
  });
  while (stops.length > 0) await stops.shift();
  return 0;
}

/** Stops the containers `up` started, through the plan `down` would make, keeping its stops only; `timeout` 0 is the forced stop. */
async function stopContainers({ connection, plan, project }: UpResult, { global, status }: CommandContext, timeout: number | undefined): Promise<void> {
  const started = new Set(plan.containers.map((container) => container.name));
  const downPlan = planDown(project.name, await observeEngine(connection, project.name, { images: false }), project, timeout === undefined ? {} : { timeout });
  const stops = downPlan.operations.filter((operation) => operation.kind === 'StopContainer' && started.has(operation.container!));
  const renderer = await progressRenderer(global, status);
  try {
    await runOperations(stops, new EngineOperationRunner(connection), { onEvent: (event) => renderer.event(progressOf(event)) });
  } finally {
    renderer.close();
  }
}
