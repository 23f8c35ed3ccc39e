import { connectEngine, type EngineConnection } from '../../src/engine/client.js';

export const TEST_IMAGE = 'tscompose/busybox:latest';

/**
 * The engine for integration tests. With CI=true a missing engine is a failure (the test
 * command provisions one); elsewhere the engine tests are skipped with the reason printed.
 */
export async function engineForTests(): Promise<EngineConnection | undefined> {
  try {
    return await connectEngine();
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(`skipping engine tests: ${(error as Error).message} (run scripts/provision-engine.sh)`);
    return undefined;
  }
}
