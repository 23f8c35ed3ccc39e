import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/planner/types.js';
import { runBin } from '../helpers/bin.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { ROOT, tempProject } from '../helpers/fixtures.js';
import { forceRemoveProject, NOTHING, projectResources } from '../helpers/project.js';

/**
 * Every kind of volume entry reaches the engine: `up` with the built CLI, the container's mounts
 * as the engine inspects them and as /proc/mounts shows them inside; a second `up` keeps the
 * container; `down -v` leaves no volume of the project, the anonymous one included.
 */

const engine = await engineForTests();
const PROJECT = 'tscompose-it-mounts';
/** Each test runs the built CLI, a process of its own, on a shared 2-core machine. */
const TIMEOUT_MS = 180_000;

const COMPOSE = `services:
  box:
    image: ${TEST_IMAGE}
    command: ["sleep", "600"]
    stop_grace_period: 1s
    volumes:
      - /scratch
      - type: tmpfs
        target: /run/cache
        tmpfs: {size: 2m, mode: 01770}
      - ./conf:/etc/app:ro
      - data:/data:nocopy
volumes:
  data:
`;

describe.skipIf(!engine)('volumes of every kind, on the engine', () => {
  let dir: string;
  const run = (...args: string[]) => runBin(['-p', PROJECT, ...args], dir);
  const inspect = () => engine!.docker.getContainer(`${PROJECT}-box-1`).inspect();
  /** The line of /proc/mounts inside the container for a mount point. */
  const procMount = async (target: string) => {
    const exec = await run('exec', '-T', 'box', 'grep', ` ${target} `, '/proc/mounts');
    expect(exec.code, exec.stderr).toBe(0);
    return exec.stdout.trim();
  };

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'cli.cjs'))) throw new Error('dist/ is missing: run `npm run build` first (the test command does)');
    dir = tempProject({ 'compose.yaml': COMPOSE }, 'mounts');
    mkdirSync(join(dir, 'conf'));
    writeFileSync(join(dir, 'conf', 'app.conf'), 'answer=42\n');
    await forceRemoveProject(engine!, PROJECT);
  });

  afterAll(async () => {
    if (!engine) return;
    const anonymous = await inspect().then((box) => box.Mounts.filter((mount) => mount.Type === 'volume' && mount.Name !== `${PROJECT}_data`).map((mount) => mount.Name!), () => []);
    await run('down', '-v', '-t', '0');
    await forceRemoveProject(engine, PROJECT);
    await Promise.allSettled(anonymous.map((name) => engine.docker.getVolume(name).remove({ force: true })));
  });

  it('up mounts the anonymous volume, the tmpfs with its size, the read-only bind and the named volume, as the dry run printed them', async () => {
    const dryRun = await run('up', '--dry-run', '--format', 'json');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const planned = (JSON.parse(dryRun.stdout) as Plan).containers[0]!.request.HostConfig;
    expect(planned.Binds).toEqual([`${dir}/conf:/etc/app:ro`]);
    expect(planned.Mounts).toEqual([
      { Type: 'volume', Target: '/scratch' },
      { Type: 'tmpfs', Target: '/run/cache', TmpfsOptions: { SizeBytes: 2097152, Mode: 0o1770 } },
      { Type: 'volume', Source: `${PROJECT}_data`, Target: '/data', VolumeOptions: { NoCopy: true } },
    ]);

    const up = await run('up', '-d');
    expect(up.code, up.stderr).toBe(0);
    const box = await inspect();
    expect(box.State.Running).toBe(true);
    const byTarget = new Map(box.Mounts.map((mount) => [mount.Destination, mount]));
    // The engine made the anonymous volume: a volume of its own name (64 hex digits), not the project's.
    expect(byTarget.get('/scratch')).toMatchObject({ Type: 'volume', RW: true });
    expect(byTarget.get('/scratch')!.Name).toMatch(/^[0-9a-f]{64}$/);
    expect(byTarget.get('/run/cache')).toMatchObject({ Type: 'tmpfs' });
    expect(byTarget.get('/etc/app')).toMatchObject({ Type: 'bind', Source: `${dir}/conf`, RW: false });
    expect(byTarget.get('/data')).toMatchObject({ Type: 'volume', Name: `${PROJECT}_data`, RW: true });
  }, TIMEOUT_MS);

  it('inside, each is mounted as the file says: tmpfs of 2m with mode 1770, the bind read-only', async () => {
    expect(await procMount('/scratch')).toMatch(/ rw[, ]/);
    const tmpfs = await procMount('/run/cache');
    expect(tmpfs).toMatch(/^tmpfs \/run\/cache tmpfs /);
    expect(tmpfs).toContain('size=2048k');
    expect(tmpfs).toContain('mode=1770');
    expect(await procMount('/etc/app')).toMatch(/ ro[, ]/);
    expect(await procMount('/data')).toMatch(/ rw[, ]/);
    const read = await run('exec', '-T', 'box', 'cat', '/etc/app/app.conf');
    expect(read.stdout).toBe('answer=42\n');
    const write = await run('exec', '-T', 'box', 'touch', '/etc/app/new');
    expect(write.code).not.toBe(0);
  }, TIMEOUT_MS);

  it('a second up plans nothing: the container is kept', async () => {
    const before = (await inspect()).Id;
    const dryRun = await run('up', '--dry-run', '--format', 'json');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const plan = JSON.parse(dryRun.stdout) as Plan;
    expect(plan.containers.map((container) => [container.service, container.action])).toEqual([['box', 'keep']]);
    expect(plan.volumes.map((volume) => volume.action)).toEqual(['keep']);
    expect(plan.operations).toEqual([]);
    const up = await run('up', '-d');
    expect(up.code, up.stderr).toBe(0);
    expect((await inspect()).Id).toBe(before);
  }, TIMEOUT_MS);

  it('run -v mounts its entries too: a bind relative to the current directory, an anonymous volume, one over the service\'s own', async () => {
    const script = 'cat /extra/app.conf && grep -c " /more " /proc/mounts && grep " /etc/app " /proc/mounts | cut -d" " -f4 | cut -d, -f1';
    const oneOff = await run('run', '--rm', '-T', '-v', './conf:/extra:ro', '-v', '/more', '-v', './conf:/etc/app:rw', 'box', 'sh', '-c', script);
    expect(oneOff.code, oneOff.stderr).toBe(0);
    expect(oneOff.stdout).toBe('answer=42\n1\nrw\n');
  }, TIMEOUT_MS);

  it('down -v removes the named volume and the anonymous one with the container', async () => {
    const anonymous = (await inspect()).Mounts.find((mount) => mount.Destination === '/scratch')!.Name!;
    const down = await run('down', '-v', '-t', '0');
    expect(down.code, down.stderr).toBe(0);
    expect(await projectResources(engine!, PROJECT)).toEqual(NOTHING);
    await expect(engine!.docker.getVolume(anonymous).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(engine!.docker.getVolume(`${PROJECT}_data`).inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, TIMEOUT_MS);
});
