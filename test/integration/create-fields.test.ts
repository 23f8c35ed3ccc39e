import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/planner/types.js';
import { runBin } from '../helpers/bin.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { ROOT, tempProject } from '../helpers/fixtures.js';
import { forceRemoveProject } from '../helpers/project.js';

/**
 * The keys compose puts into container create reach the engine: `up` with the built CLI, then
 * the containers as the engine inspects them. A second `up` keeps them: the keys are in the
 * config hash as the file says them, not as the engine echoes them.
 */

const engine = await engineForTests();
const PROJECT = 'tscompose-it-createfields';
/** Each test runs the built CLI, a process of its own, on a shared 2-core machine. */
const TIMEOUT_MS = 180_000;

const COMPOSE = `services:
  box:
    image: ${TEST_IMAGE}
    command: ["sleep", "600"]
    stop_grace_period: 1s
    mem_limit: 64m
    cpus: 0.5
    shm_size: 16m
    ulimits:
      nproc: 512
      nofile: {soft: 1024, hard: 2048}
    pids_limit: 100
    security_opt: ["no-new-privileges:true"]
    cap_add: [SYS_PTRACE]
    ipc: shareable
    logging:
      driver: json-file
      options: {max-size: 1m, max-file: 2}
    tty: true
    hostname: box-host
    labels: {com.example.tier: test}
    volumes: ["data:/data"]
  reader:
    image: ${TEST_IMAGE}
    command: ["sleep", "600"]
    stop_grace_period: 1s
    volumes_from: ["box:ro"]
    ipc: "service:box"
volumes:
  data:
`;

describe.skipIf(!engine)('the keys of container create, on the engine', () => {
  let dir: string;
  const run = (...args: string[]) => runBin(['-p', PROJECT, ...args], dir);
  const inspect = (service: string) => engine!.docker.getContainer(`${PROJECT}-${service}-1`).inspect();

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'cli.cjs'))) throw new Error('dist/ is missing: run `npm run build` first (the test command does)');
    dir = tempProject({ 'compose.yaml': COMPOSE }, 'createfields');
    await forceRemoveProject(engine!, PROJECT);
  });

  afterAll(async () => {
    if (!engine) return;
    await run('down', '-v', '-t', '0');
    await forceRemoveProject(engine, PROJECT);
  });

  it('up creates the containers with every key, as the dry run printed it', async () => {
    const dryRun = await run('up', '--dry-run', '--format', 'json');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const planned = (JSON.parse(dryRun.stdout) as Plan).containers.find((container) => container.service === 'box')!.request.HostConfig;
    expect(planned).toMatchObject({ Memory: 67108864, NanoCpus: 500000000, ShmSize: 16777216, PidsLimit: 100, IpcMode: 'shareable' });

    const up = await run('up', '-d');
    expect(up.code, up.stderr).toBe(0);
    const box = await inspect('box');
    expect(box.State.Running).toBe(true);
    expect(box.HostConfig).toMatchObject({
      Memory: 67108864,
      NanoCpus: 500000000,
      ShmSize: 16777216,
      PidsLimit: 100,
      SecurityOpt: ['no-new-privileges:true'],
      CapAdd: ['SYS_PTRACE'],
      IpcMode: 'shareable',
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } },
    });
    expect(box.HostConfig.Ulimits).toEqual([
      { Name: 'nofile', Soft: 1024, Hard: 2048 },
      { Name: 'nproc', Soft: 512, Hard: 512 },
    ]);
    expect(box.Config).toMatchObject({ Tty: true, Hostname: 'box-host', StopTimeout: 1 });
    expect(box.Config.Labels['com.example.tier']).toBe('test');

    const reader = await inspect('reader');
    expect(reader.State.Running).toBe(true);
    // The engine keeps the IPC namespace's container by id.
    expect(reader.HostConfig).toMatchObject({ VolumesFrom: [`${PROJECT}-box-1:ro`], IpcMode: `container:${box.Id}` });
    // The volume of box, mounted read-only as volumes_from says.
    expect(reader.Mounts.find((mount) => mount.Destination === '/data')).toMatchObject({ Name: `${PROJECT}_data`, RW: false });
  }, TIMEOUT_MS);

  it('the limits hold inside the container', async () => {
    const exec = async (command: string) => {
      const created = await engine!.docker.getContainer(`${PROJECT}-box-1`).exec({ Cmd: ['sh', '-c', command], AttachStdout: true, AttachStderr: true });
      const stream = await created.start({ hijack: true, stdin: false });
      const chunks: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', resolve);
        stream.on('error', reject);
      });
      // The exec has no tty: frames of an 8-byte header and the text.
      const text: string[] = [];
      const all = Buffer.concat(chunks);
      for (let at = 0; at + 8 <= all.length; at += 8 + all.readUInt32BE(at + 4)) text.push(all.subarray(at + 8, at + 8 + all.readUInt32BE(at + 4)).toString());
      return text.join('').trim();
    };
    expect(await exec('ulimit -n')).toBe('1024');
    expect(await exec('ulimit -Hn')).toBe('2048');
    expect(await exec('hostname')).toBe('box-host');
    expect(await exec("df -k /dev/shm | awk 'NR==2 {print $2}'")).toBe('16384');
  }, TIMEOUT_MS);

  it('a second up plans nothing: every container kept, not one recreated', async () => {
    const before = [(await inspect('box')).Id, (await inspect('reader')).Id];
    const dryRun = await run('up', '--dry-run', '--format', 'json');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const plan = JSON.parse(dryRun.stdout) as Plan;
    expect(plan.containers.map((container) => [container.service, container.action])).toEqual([
      ['box', 'keep'],
      ['reader', 'keep'],
    ]);
    expect(plan.operations).toEqual([]);
    const up = await run('up', '-d');
    expect(up.code, up.stderr).toBe(0);
    expect([(await inspect('box')).Id, (await inspect('reader')).Id]).toEqual(before);
  }, TIMEOUT_MS);
});
