import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { tempProject } from '../helpers/fixtures.js';

const engine = await engineForTests();

/** Two services that each print a line and exit. */
const COMPOSE = `services:
  a:
    image: ${TEST_IMAGE}
    command: ["echo", "line from a"]
    network_mode: none
  b:
    image: ${TEST_IMAGE}
    command: ["echo", "line from b"]
    network_mode: none
`;

describe.skipIf(!engine)('up --attach and --no-attach: a foreground up prints only the chosen services', () => {
  const dir = tempProject({ 'compose.yaml': COMPOSE });
  const projects: string[] = [];

  /** A foreground up of its own project; and b's output, read once b has written it, so that b is known to have run. */
  async function upWith(project: string, ...options: string[]): Promise<{ code: number; stdout: string; bLogs: string }> {
    projects.push(project);
    const result = await runCli(['-p', project, '--progress', 'plain', 'up', ...options], dir);
    let bLogs = '';
    await expect
      .poll(async () => (bLogs = (await runCli(['-p', project, 'logs', '--no-log-prefix', 'b'], dir)).stdout), { timeout: 30_000, interval: 200 })
      .toContain('line from b');
    return { ...result, bLogs };
  }

  afterAll(async () => {
    for (const project of projects) await runCli(['-p', project, 'down', '-t', '0'], dir);
  }, 60_000);

  it("--attach a: a's line and exit are printed, b's are not", async () => {
    const { code, stdout, bLogs } = await upWith('i13b-attach', '--attach', 'a');
    expect(code).toBe(0);
    expect(stdout).toContain('a-1  | line from a\n');
    expect(stdout).toContain('a-1 exited with code 0\n');
    expect(stdout).not.toContain('line from b');
    expect(stdout).not.toContain('b-1');
    expect(bLogs).toBe('line from b\n');
  });

  it("--no-attach b: the same, choosing by leaving b out", async () => {
    const { code, stdout } = await upWith('i13b-no-attach', '--no-attach', 'b');
    expect(code).toBe(0);
    expect(stdout).toContain('a-1  | line from a\n');
    expect(stdout).toContain('a-1 exited with code 0\n');
    expect(stdout).not.toContain('line from b');
    expect(stdout).not.toContain('b-1');
  });
});
