import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { engineForTests } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';
import { forceRemoveProject, NOTHING, projectResources } from '../helpers/project.js';
import { removeLocalImage } from '../helpers/registry.js';

const engine = await engineForTests();

const PROJECT = 'tscompose-it-build';
const APP_IMAGE = `${PROJECT}-app`;
const INLINE_IMAGE = `${PROJECT}-inline`;

describe.skipIf(!engine)('build: sections', () => {
  // A copy of fixtures/build, so that a test can change a file of the context.
  const parent = mkdtempSync(join(tmpdir(), 'tscompose-build-'));
  const dir = join(parent, 'build');
  const cli = (...args: string[]) => runCli(['--progress', 'plain', ...args], dir);
  /** A service's log lines without the `name  | ` prefix. */
  const logsOf = async (service: string) => (await cli('logs', service)).stdout.replace(/^[^|\n]*\| /gm, '');

  const cleanUp = async () => {
    await forceRemoveProject(engine!, PROJECT);
    for (const image of [APP_IMAGE, INLINE_IMAGE, 'tscompose-it-build-broken-bad', `${PROJECT}-hosts`, `${PROJECT}-hosts:extra`]) await removeLocalImage(engine!, image);
    // Images a rebuild left without a name carry the project's label too.
    const dangling = await engine!.docker.listImages({ filters: JSON.stringify({ dangling: ['true'], label: [`com.docker.compose.project=${PROJECT}`] }) });
    for (const image of dangling) await removeLocalImage(engine!, image.Id);
  };
  beforeAll(async () => {
    cpSync(fixture('build'), dir, { recursive: true });
    await cleanUp();
  });
  afterAll(async () => {
    await cleanUp();
    rmSync(parent, { recursive: true, force: true });
  });

  it('build builds every build: section, with its argument, target and .dockerignore, and starts nothing', async () => {
    const { code, stderr } = await cli('build');
    expect(stderr).toContain(`Image ${APP_IMAGE}  Built`);
    expect(stderr).toContain(`Image ${INLINE_IMAGE}  Built`);
    // The build's own output streams through the progress display.
    expect(stderr).toMatch(/Image tscompose-it-build-app {2}Step 1\/\d+ : FROM tscompose\/busybox:latest AS base/);
    expect(stderr).not.toContain('the stage after final was built');
    expect(code).toBe(0);
    const image = await engine!.docker.getImage(APP_IMAGE).inspect();
    expect(image.Config.Labels).toMatchObject({ 'com.docker.compose.project': PROJECT, 'com.docker.compose.service': 'app' });
    expect(await projectResources(engine!, PROJECT)).toEqual(NOTHING);
  });

  it('up runs the built images without building them again', async () => {
    const { code, stderr } = await cli('up', '-d', '--wait');
    expect(code).toBe(0);
    expect(stderr).not.toContain('Building');
    expect(await logsOf('app')).toContain('hello from the build\nmessage one');
    expect(await logsOf('inline')).toContain('message one');
  });

  it('up --build rebuilds, and recreates the containers whose image changed', async () => {
    writeFileSync(join(dir, 'app', 'message.txt'), 'message two\n');
    const unchanged = await cli('up', '-d');
    expect(unchanged.code).toBe(0);
    expect(await logsOf('app')).toContain('message one');

    const before = (await engine!.docker.getContainer(`${PROJECT}-app-1`).inspect()).Id;
    const { code, stderr } = await cli('up', '-d', '--build', 'app');
    expect(code).toBe(0);
    expect(stderr).toContain(`Image ${APP_IMAGE}  Built`);
    // The first plan kept app's container; the build changed its image, and up says it planned again.
    expect(stderr).toMatch(new RegExp(`planned again: image changed by its pull or build: ${APP_IMAGE}: sha256:\\w+… → sha256:\\w+…`));
    expect(stderr).toContain(`Container ${PROJECT}-app-1  Started`);
    expect((await engine!.docker.getContainer(`${PROJECT}-app-1`).inspect()).Id).not.toBe(before);
    expect(await logsOf('app')).toContain('hello from the build\nmessage two');
    await cli('down', '-t', '0');
  });

  it('a failing build names its step, exits non-zero and creates nothing', async () => {
    writeFileSync(
      join(dir, 'broken.yaml'),
      ['name: tscompose-it-build', 'services:', '  bad:', '    image: tscompose-it-build-broken-bad', '    build:', '      context: ./app', '      dockerfile_inline: |', '        FROM tscompose/busybox:latest', '        RUN echo fine', '        RUN echo "about to fail" && exit 3', '  ok:', '    image: tscompose/busybox:latest', '    command: ["sleep", "60"]', ''].join('\n'),
    );
    const { code, stderr } = await cli('-f', 'broken.yaml', 'up', '-d');
    expect(code).toBe(1);
    // The engine counts the labels it adds as steps after the Dockerfile's own.
    expect(stderr).toMatch(/build failed at step 3\/\d+ \(RUN echo "about to fail" && exit 3\)/);
    expect(stderr).toContain('returned a non-zero code: 3');
    expect(stderr).toContain('error: image tscompose-it-build-broken-bad: build failed at step 3/');
    expect(await projectResources(engine!, PROJECT)).toEqual(NOTHING);
  });

  it('passes extra_hosts, network, tags and no_cache to the builder', async () => {
    writeFileSync(
      join(dir, 'hosts.yaml'),
      [
        'name: tscompose-it-build',
        'services:',
        '  hosts:',
        '    build:',
        '      context: ./app',
        '      dockerfile_inline: |',
        '        FROM tscompose/busybox:latest',
        '        RUN grep -q "10.1.2.3.*db.local" /etc/hosts && grep -q "10.1.2.4.*cache.local" /etc/hosts && ! ip addr | grep -q eth0',
        '      extra_hosts: ["db.local=10.1.2.3", "cache.local:10.1.2.4"]',
        '      network: none',
        '      tags: ["tscompose-it-build-hosts:extra"]',
        '      no_cache: true',
        '',
      ].join('\n'),
    );
    const { code, stderr } = await cli('-f', 'hosts.yaml', 'build');
    expect(stderr).toContain(`Image ${PROJECT}-hosts  Built`);
    expect(code).toBe(0);
    const tagged = await engine!.docker.getImage(`${PROJECT}-hosts:extra`).inspect();
    expect(tagged.Id).toBe((await engine!.docker.getImage(`${PROJECT}-hosts`).inspect()).Id);
  });

  it('down --rmi local removes the images built without an image: name, and nothing else', async () => {
    expect((await cli('up', '-d')).code).toBe(0);
    const { code, stderr } = await cli('down', '-t', '0', '--rmi', 'local');
    expect(code).toBe(0);
    expect(stderr).toContain(`Image ${APP_IMAGE}  Removed`);
    for (const image of [APP_IMAGE, INLINE_IMAGE]) await expect(engine!.docker.getImage(image).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect((await engine!.docker.getImage('tscompose/busybox:latest').inspect()).Id).toBeTruthy();
    expect(await projectResources(engine!, PROJECT)).toEqual(NOTHING);
  });
});
