import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, type ProjectEvent } from '../../src/usecases/index.js';
import { runCli } from '../helpers/cli.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { tempProject } from '../helpers/fixtures.js';
import { forceRemoveProject } from '../helpers/project.js';

const engine = await engineForTests();

const PROJECT = 'i13-inspect';
const COMPOSE = `name: ${PROJECT}
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sleep", "600"]
    stop_grace_period: 0s
  job:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "read line; exit 7"]
    stdin_open: true
`;

describe.skipIf(!engine)('top, images, wait and events', () => {
  let dir: string;
  const cli = (...args: string[]) => runCli(['--progress', 'quiet', ...args], dir);

  beforeAll(async () => {
    await forceRemoveProject(engine!, PROJECT);
    dir = tempProject({ 'compose.yaml': COMPOSE });
    expect((await cli('up', '-d', 'web')).code).toBe(0);
  });
  afterAll(() => forceRemoveProject(engine!, PROJECT));

  it("top lists each running container's processes", async () => {
    const { code, stdout } = await cli('top');
    expect(code).toBe(0);
    expect(stdout).toContain(`${PROJECT}-web-1`);
    expect(stdout).toMatch(/PID[\s\S]*sleep 600/);
  });

  it('images lists the image of each container', async () => {
    const listed = JSON.parse((await cli('images', '--format', 'json')).stdout);
    expect(listed).toMatchObject([{ ContainerName: `${PROJECT}-web-1`, Repository: 'tscompose/busybox', Tag: 'latest' }]);
    expect((await cli('images', '-q')).stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
  });

  it('events --json captures a start and a die; wait returns the exit code of the first container to stop', async () => {
    const seen: ProjectEvent[] = [];
    const stop = new AbortController();
    const following = events({ workingDir: dir, environment: {}, connection: engine!, signal: stop.signal, onProjectEvent: (event) => seen.push(event) });
    // The job waits for a line on its stdin, which nothing sends: it runs until the wait below has begun.
    expect((await cli('up', '-d', 'job')).code).toBe(0);
    const waiting = cli('wait', 'job');
    await expect.poll(() => seen.some((event) => event.action === 'start' && event.service === 'job'), { timeout: 20_000 }).toBe(true);
    await engine!.docker.getContainer(`${PROJECT}-job-1`).kill({ signal: 'SIGKILL' });
    const waited = await waiting;
    expect(waited.code).toBe(137);
    await expect.poll(() => seen.some((event) => event.action === 'die' && event.service === 'job'), { timeout: 20_000 }).toBe(true);
    stop.abort();
    await following;
    expect(seen.find((event) => event.action === 'die')).toMatchObject({ type: 'container', service: 'job', attributes: { exitCode: '137' } });
  });

  it('wait on a container that stopped already returns its code; --down-project takes the project down', async () => {
    const waited = await cli('wait', '--down-project', 'job');
    expect(waited.code).toBe(137);
    expect((await cli('ps', '-a')).stdout).not.toContain(PROJECT);
  });
});

describe.skipIf(!engine)('cp', () => {
  const project = `${PROJECT}-cp`;
  let dir: string;
  const cli = (...args: string[]) => runCli(['--progress', 'quiet', ...args], dir);

  beforeAll(async () => {
    await forceRemoveProject(engine!, project);
    dir = tempProject({ 'compose.yaml': COMPOSE.replace(`name: ${PROJECT}`, `name: ${project}`), 'seed/users.sql': 'insert alice;\n', 'seed/more/b.sql': 'insert bob;\n' });
    expect((await cli('up', '-d', 'web')).code).toBe(0);
  });
  afterAll(() => forceRemoveProject(engine!, project));

  it('copies a directory into the container, and a file and a directory back out', async () => {
    expect((await cli('cp', 'seed', 'web:/tmp')).code).toBe(0);
    expect((await cli('exec', '-T', 'web', 'cat', '/tmp/seed/more/b.sql')).code).toBe(0);
    expect((await cli('cp', './seed/users.sql', 'web:/tmp/renamed.sql')).code).toBe(0);
    expect((await cli('cp', 'web:/tmp/renamed.sql', 'back.sql')).code).toBe(0);
    expect(readFileSync(join(dir, 'back.sql'), 'utf8')).toBe('insert alice;\n');
    expect((await cli('cp', 'web:/tmp/seed', 'copy')).code).toBe(0);
    expect(readFileSync(join(dir, 'copy', 'more', 'b.sql'), 'utf8')).toBe('insert bob;\n');
    const both = await cli('cp', 'seed', 'copy');
    expect(both.code).toBe(2);
  });
});

describe.skipIf(!engine)('ls', () => {
  const names = [`${PROJECT}-ls-a`, `${PROJECT}-ls-b`];
  let dir: string;
  const cli = (...args: string[]) => runCli(['--progress', 'quiet', ...args], dir);

  beforeAll(async () => {
    for (const name of names) await forceRemoveProject(engine!, name);
    dir = tempProject({ 'compose.yaml': COMPOSE.replace(`name: ${PROJECT}\n`, '') });
    for (const name of names) expect((await cli('-p', name, 'up', '-d', 'web')).code).toBe(0);
    expect((await cli('-p', names[1]!, 'create', 'job')).code).toBe(0);
  });
  afterAll(async () => {
    for (const name of names) await forceRemoveProject(engine!, name);
  });

  it('sees both projects, with the state of their containers and their compose file', async () => {
    const listed = JSON.parse((await cli('ls', '--format', 'json', '--filter', `name=${PROJECT}-ls-`)).stdout);
    expect(listed).toEqual([
      { Name: names[0], Status: 'running(1)', ConfigFiles: join(dir, 'compose.yaml') },
      { Name: names[1], Status: 'created(1), running(1)', ConfigFiles: join(dir, 'compose.yaml') },
    ]);
    expect((await cli('-p', names[0]!, 'stop')).code).toBe(0);
    expect((await cli('ls', '-q', '--filter', `name=${PROJECT}-ls-`)).stdout).toBe(`${names[1]}\n`);
    expect((await cli('ls', '-a', '-q', '--filter', `name=${PROJECT}-ls-`)).stdout).toBe(`${names[0]}\n${names[1]}\n`);
  });
});
