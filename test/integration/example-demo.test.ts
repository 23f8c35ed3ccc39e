import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineForTests } from '../helpers/engine.js';
import { ROOT } from '../helpers/fixtures.js';
import { forceRemoveProject, NOTHING, projectResources } from '../helpers/project.js';

const engine = await engineForTests();

const EXAMPLE = join(ROOT, 'examples', 'demo');
const PROJECT = 'tscompose-it-demo';

/** A host port nothing listens on now, for the demo's web service (8080 by default may be taken). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs the example's own test suite (its vitest.config.ts and globalSetup) as its README says: `vitest run` in its directory. */
function runExampleSuite(environment: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], { cwd: EXAMPLE, env: environment, timeout: 240_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: stdout + stderr });
    });
  });
}

describe.skipIf(!engine)('examples/demo test suite', () => {
  afterAll(() => forceRemoveProject(engine!, PROJECT));

  it("brings the stack up with --wait in its globalSetup, passes its tests over HTTP, and takes it down", async () => {
    await forceRemoveProject(engine!, PROJECT);
    const { code, output } = await runExampleSuite({ ...process.env, COMPOSE_PROJECT_NAME: PROJECT, WEB_HOST_PORT: String(await freePort()), NO_COLOR: '1' });
    expect(output).toContain('Tests  4 passed (4)');
    expect(code, output).toBe(0);
    expect(await projectResources(engine!, PROJECT)).toEqual(NOTHING);
  }, 300_000);
});
