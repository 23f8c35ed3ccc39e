import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { down, env, formatWaitReport, ps, up, WaitError } from 'tscompose';

/** The directory of compose.yaml. */
const workingDir = fileURLToPath(new URL('..', import.meta.url));

export default async function setup(project: TestProject) {
  // In CI the job may have run `tscompose up --wait` itself: then the stack is the job's to take
  // down (after it has saved the logs of a failed run).
  const alreadyUp = (await ps({ workingDir })).length > 0;
  try {
    await up({ workingDir, wait: true, waitTimeout: 120 });
  } catch (error) {
    // Which service was not ready, its state, health log and last log lines.
    if (error instanceof WaitError) console.error(formatWaitReport(error.containers));
    throw error;
  }
  // The same variables as `tscompose env`: WEB_PORT_80_TCP_ADDR, API_PORT_3000_TCP_PORT…
  const { variables } = await env({ workingDir });
  project.provide('services', variables);
  return async () => {
    if (!alreadyUp) await down({ workingDir });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: Record<string, string>;
  }
}
