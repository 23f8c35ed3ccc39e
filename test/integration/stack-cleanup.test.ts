import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { ROOT, tempProject } from '../helpers/fixtures.js';
import { NOTHING, projectResources, type ProjectResources } from '../helpers/project.js';

const engine = await engineForTests();

const COMPOSE = `name: i15-cleanup
services:
  app:
    image: ${TEST_IMAGE}
    command: ["sleep", "600"]
`;

/**
 * A test process of a user's: brings up an isolated stack with the built package, prints its
 * name, then does what `ending` says.
 */
function testProcess(workingDir: string, ending: string): { child: ChildProcess; name: Promise<string> } {
  const source = `import { compose } from 'tscompose';
const stack = await compose({ workingDir: ${JSON.stringify(workingDir)}, isolate: true }).up();
console.log(stack.name);
${ending}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const name = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code, signal) => reject(new Error(`the test process ended (${signal ?? code}) before its stack was up:\n${stderr}`)));
  });
  return { child, name };
}

/** Polls until the project has nothing left on the engine; fails after a bound (the engine is shared and may be slow). */
async function untilRemoved(project: string, timeoutMs = 60_000): Promise<ProjectResources> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await projectResources(engine!, project);
    if (left.containers.length + left.networks.length + left.volumes.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(!engine)('a stack whose test process ends before taking it down', () => {
  const workingDir = tempProject({ 'compose.yaml': COMPOSE });

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (the test command does)');
  });

  it('is taken down after process.exit', async () => {
    const { child, name } = testProcess(workingDir, 'process.exit(1);');
    const project = await name;
    await once(child, 'exit');
    expect(await untilRemoved(project)).toEqual(NOTHING);
  });

  it('is taken down after an uncaught error, and the error still ends the process', async () => {
    const { child, name } = testProcess(workingDir, "setTimeout(() => { throw new Error('a test blew up'); }, 0);");
    const project = await name;
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(await untilRemoved(project)).toEqual(NOTHING);
  });

  it('is taken down on SIGTERM, and the process still ends by the signal', async () => {
    const { child, name } = testProcess(workingDir, 'setInterval(() => {}, 1000);');
    const project = await name;
    child.kill('SIGTERM');
    const [, signal] = await once(child, 'exit');
    expect(signal).toBe('SIGTERM');
    expect(await untilRemoved(project)).toEqual(NOTHING);
  });

  it('is found by ls --stale after kill -9, and removed by down --stale', async () => {
    const { child, name } = testProcess(workingDir, 'setInterval(() => {}, 1000);');
    const project = await name;
    const alive = await runCli(['ls', '--format', 'json'], '/');
    expect(JSON.parse(alive.stdout)).toContainEqual(expect.objectContaining({ project, owner: expect.objectContaining({ pid: child.pid, state: 'alive' }) }));
    expect((await runCli(['ls', '--stale', '-q'], '/')).stdout.split('\n')).not.toContain(project);

    child.kill('SIGKILL');
    await once(child, 'exit');
    expect((await runCli(['ls', '--stale', '-q'], '/')).stdout.split('\n')).toContain(project);
    expect((await projectResources(engine!, project)).containers).toHaveLength(1);

    const removed = await runCli(['--progress', 'quiet', 'down', '--stale'], '/');
    expect(removed.code).toBe(0);
    expect(removed.stderr).toContain(`removed stale stack ${project}`);
    expect(await projectResources(engine!, project)).toEqual(NOTHING);
  });
});
