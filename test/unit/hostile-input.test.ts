import { createServer, type Server } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load } from '../../src/loader/index.js';
import { MAX_SERVICES_PER_FILE } from '../../src/loader/parse.js';
import { MAX_COMPOSE_FILE_BYTES } from '../../src/loader/read-file.js';
import { runCli } from '../helpers/cli.js';
import { fixture, tempProject } from '../helpers/fixtures.js';
import { checkedPlan } from '../helpers/plan.js';

/**
 * fixtures/hostile/: broken or malicious compose files (issue 16). Each declares the errors it must
 * give, `# expect: [FILE:]LINE:COL message` (FILE when the error is in another file, relative to
 * the fixture directory), and `# never: text` for what the output must not show (env files hold
 * secrets). Every one must be refused by `config` and by `up` with those errors, a location, no
 * stack trace and no raw control character, and without a connection to the engine: DOCKER_HOST
 * points at a socket this test listens on and counts connections to.
 * Time and memory per file are measured by bench/hostile.mjs, not asserted here.
 */
const DIR = fixture('hostile');
const files = readdirSync(DIR).filter((name) => name.endsWith('.yaml')).sort();

/** What a terminal would act on; the CLI must print these escaped. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function declared(text: string) {
  const expected = [...text.matchAll(/^# expect: (?:(\S+?):)?(\d+):(\d+) (.+)$/gm)].map((m) => ({ file: m[1], line: m[2]!, column: m[3]!, message: m[4]! }));
  const never = [...text.matchAll(/^# never: (.+)$/gm)].map((m) => m[1]!);
  return { expected, never };
}

let engine: Server;
let connections = 0;
let previousHost: string | undefined;

beforeAll(async () => {
  const socket = join(mkdtempSync(join(tmpdir(), 'tscompose-hostile-')), 'engine.sock');
  engine = createServer((connection) => {
    connections++;
    connection.destroy();
  });
  await new Promise<void>((resolve) => engine.listen(socket, resolve));
  previousHost = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = `unix://${socket}`;
});

afterAll(async () => {
  if (previousHost === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = previousHost;
  await new Promise((resolve) => engine.close(resolve));
});

describe('hostile input', () => {
  it('has at least a hundred files, each declaring its errors', () => {
    expect(files.length).toBeGreaterThanOrEqual(100);
    for (const name of files) expect(declared(readFileSync(join(DIR, name), 'utf8')).expected.length, name).toBeGreaterThan(0);
  });

  it.each(files)('%s is refused by config and up with its errors, located, and no engine call', async (name) => {
    const { expected, never } = declared(readFileSync(join(DIR, name), 'utf8'));
    for (const command of [['config'], ['up', '-d']]) {
      const { code, stdout, stderr } = await runCli(['-f', name, ...command], DIR);
      expect(code, `${command[0]} exit code; stderr: ${stderr}`).toBe(1);
      expect(stdout).toBe('');
      for (const want of expected) expect(stderr).toContain(`error: ${want.file ?? name}:${want.line}:${want.column}: ${want.message}`);
      expect(stderr.match(/^error: /gm)).toHaveLength(expected.length);
      expect(stderr, 'no stack trace').not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(RAW_CONTROL.test(stderr), 'no raw control character').toBe(false);
      for (const secret of never) expect(stderr).not.toContain(secret);
    }
    expect(connections, 'connections to the engine').toBe(0);
  });

  it('config --no-consistency lets undefined references through, as compose does, but not what the engine would refuse', async () => {
    expect((await runCli(['-f', 'volume-undefined-short.yaml', 'config', '--no-consistency'], DIR)).code).toBe(0);
    expect((await runCli(['-f', 'build-context-missing.yaml', 'config', '--no-consistency'], DIR)).code).toBe(0);
    const { code, stderr } = await runCli(['-f', 'network-name-space-slash.yaml', 'config', '--no-consistency'], DIR);
    expect(code).toBe(1);
    expect(stderr).toContain('cannot be a network name');
  });

  it('loads and plans a depends_on chain of thousands of services without overflowing the stack', () => {
    const count = 6000;
    const services = Array.from({ length: count }, (_, i) => `  s${i}:\n    image: busybox\n${i + 1 < count ? `    depends_on: [s${i + 1}]\n` : ''}`);
    const { project } = load({ workingDir: tempProject({ 'compose.yaml': `services:\n${services.join('')}` }), environment: {} });
    const plan = checkedPlan(project, { apiVersion: '1.41', containers: [], networks: [] });
    expect(plan.containers.map((container) => container.service).slice(0, 2)).toEqual([`s${count - 1}`, `s${count - 2}`]);
  });

  it('refuses a file of more than MAX_SERVICES_PER_FILE services at the first one too many', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tscompose-hostile-'));
    const lines = Array.from({ length: MAX_SERVICES_PER_FILE + 5 }, (_, i) => `  s${i}: {image: x}\n`);
    writeFileSync(join(dir, 'compose.yaml'), `services:\n${lines.join('')}`);
    const { code, stderr } = await runCli(['config', '-q'], dir);
    expect(code).toBe(1);
    expect(stderr).toContain(`error: compose.yaml:${MAX_SERVICES_PER_FILE + 2}:3: more than 10,000 services in one file`);
    expect(connections).toBe(0);
    // As many as the limit load.
    writeFileSync(join(dir, 'compose.yaml'), `services:\n${lines.slice(0, MAX_SERVICES_PER_FILE).join('')}`);
    expect(Object.keys(load({ workingDir: dir, environment: {} }).project.services)).toHaveLength(MAX_SERVICES_PER_FILE);
  });

  it('refuses a file past the size limit before reading it, and standard input the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tscompose-hostile-'));
    const padding = 'x'.repeat(MAX_COMPOSE_FILE_BYTES);
    writeFileSync(join(dir, 'compose.yaml'), `services:\n  web:\n    image: busybox\nx-padding: "${padding}"\n`);
    const { code, stderr } = await runCli(['config'], dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: compose\.yaml:1:1: .*compose\.yaml is 2\.0 MiB; compose files larger than 2\.0 MiB are refused$/m);
    expect(() => load({ files: ['-'], stdin: `services: {}\nx-padding: "${padding}"\n`, workingDir: dir, environment: {} })).toThrow(/standard input is 2\.0 MiB; compose files larger than 2\.0 MiB are refused/);
    expect(connections).toBe(0);
  });
});
