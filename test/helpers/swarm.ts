import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connectEngine, type EngineConnection } from '../../src/engine/client.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/swarm-test-engines.sh', import.meta.url));
const run = promisify(execFile);

export interface SwarmForTests {
  manager: EngineConnection;
  /** The joined worker, for two nodes. */
  worker?: EngineConnection;
  /** The manager node's address as the host reaches it (published host-mode ports answer there). */
  hostReaches: string;
}

/**
 * Swarm engines of our own (scripts/swarm-test-engines.sh): dockerds in network namespaces, so
 * the shared engine never sees a swarm. With CI=true a failure to start them fails the tests;
 * elsewhere they are skipped with the reason.
 */
export async function startSwarm(nodes: 1 | 2): Promise<SwarmForTests | undefined> {
  try {
    const { stdout } = await run('bash', [SCRIPT, 'up', String(nodes)], { timeout: 180_000 });
    const values = Object.fromEntries(stdout.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
    const manager = await connectEngine({ DOCKER_HOST: values.SWARM_MANAGER_HOST });
    const worker = values.SWARM_WORKER_HOST ? await connectEngine({ DOCKER_HOST: values.SWARM_WORKER_HOST }) : undefined;
    return { manager, ...(worker ? { worker } : {}), hostReaches: values.SWARM_HOST_REACHES! };
  } catch (error) {
    await stopSwarm().catch(() => undefined);
    const reason = `${(error as Error).message}${(error as { stderr?: string }).stderr ?? ''}`;
    if (process.env.CI === 'true') throw new Error(`cannot start the swarm test engines: ${reason}`);
    console.warn(`skipping swarm tests: ${reason}`);
    return undefined;
  }
}

export async function stopSwarm(): Promise<void> {
  await run('bash', [SCRIPT, 'down'], { timeout: 180_000 });
}

/** The id of a running container of a service's task on this engine. */
export async function taskContainer(engine: EngineConnection, service: string): Promise<string> {
  const list = await engine.docker.listContainers({ filters: JSON.stringify({ label: [`com.docker.swarm.service.name=${service}`], status: ['running'] }) });
  if (list.length === 0) throw new Error(`no running task of ${service} on this engine`);
  return list[0]!.Id;
}
