import { logsOf, stop, type UpResult } from '../usecases/index.js';
import type { CommandContext } from './global-options.js';
import { printContainerLogs } from './logs.js';
import { progressRenderer } from './progress-option.js';

/**
 * `up` without -d, as compose does it: follow the containers' output until they all stop, or
 * until Ctrl-C, which stops them (in reverse dependency order) and leaves them in place.
 */
export async function attachLogs(result: UpResult, { global, stdout, stderr }: CommandContext): Promise<number> {
  const { connection, plan, project } = result;
  const containers = plan.containers.map((container) => ({ id: container.name, name: container.name }));
  const { interrupted } = await printContainerLogs(await logsOf(connection, containers, { follow: true, tail: 'all', timestamps: false }), stdout);
  if (!interrupted) return 0;
  stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
  const renderer = await progressRenderer(global, stderr);
  try {
    await stop(project, connection, { onProgress: (event) => renderer.event(event) });
  } finally {
    renderer.close();
  }
  return 130;
}
