import { containerProcesses, type ContainerProcesses } from '../engine/container-inspection.js';
import { ps, type PsOptions } from './ps.js';
import { connectOrReuse } from './session.js';

/** `top`: the processes of each running container of the project (or of the services named). */
export async function top(options: Omit<PsOptions, 'all'> = {}): Promise<(ContainerProcesses & { container: string })[]> {
  const connection = await connectOrReuse(options);
  const containers = await ps({ ...options, connection });
  return Promise.all(containers.map(async (container) => ({ container: container.name, ...(await containerProcesses(connection, container.name)) })));
}
