import { containerExitCode } from '../engine/container-inspection.js';
import { NoSuchServiceError } from '../errors.js';
import { down } from './down.js';
import { ps, type PsOptions } from './ps.js';
import { connectOrReuse } from './session.js';

export interface WaitExitOptions extends Omit<PsOptions, 'all'> {
  /** `--down-project`: take the project down once the first container has exited. */
  downProject?: boolean;
}

/** `wait SERVICE...`: blocks until the first of the services' containers stops; returns its exit code (and with downProject, takes the project down). */
export async function waitForExit(options: WaitExitOptions): Promise<{ container: string; exitCode: number }> {
  const connection = await connectOrReuse(options);
  const containers = await ps({ ...options, connection, all: true });
  if (containers.length === 0) throw new NoSuchServiceError(`no containers to wait for${options.services?.length ? ` of ${options.services.join(', ')}` : ''}`, { hint: 'create them first: tscompose up -d' });
  const stop = new AbortController();
  try {
    const first = await Promise.race(containers.map(async (container) => ({ container: container.name, exitCode: await containerExitCode(connection, container.name, stop.signal) })));
    if (options.downProject) await down({ ...options, connection });
    return first;
  } finally {
    stop.abort();
  }
}
