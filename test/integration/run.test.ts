import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL } from '../../src/planner/labels.js';
import { run } from '../../src/usecases/index.js';
import { runBin, runOnTerminal } from '../helpers/bin.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { tempProject } from '../helpers/fixtures.js';
import { forceRemoveProject, projectResources } from '../helpers/project.js';

const engine = await engineForTests();

const PROJECT = 'i13-run';
const COMPOSE = `name: ${PROJECT}
services:
  db:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "while true; do echo ready | nc -l -p 5432; done"]
    stop_grace_period: 0s
    networks:
      back:
        aliases: [database]
  migrate:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "nc db 5432"]
    environment:
      STAGE: file
    ports: ["127.0.0.1::8080"]
    depends_on: [db]
    networks:
      back:
        aliases: [migrations]
networks:
  back: {}
`;

describe.skipIf(!engine)('run', () => {
  let dir: string;

  beforeAll(async () => {
    await forceRemoveProject(engine!, PROJECT);
    dir = tempProject({ 'compose.yaml': COMPOSE });
  });
  afterAll(() => forceRemoveProject(engine!, PROJECT));

  it('--dry-run prints the plan: the dependency started first, then the one-off; nothing changes', async () => {
    const dry = await runBin(['run', '--dry-run', '--format', 'json', '--name', `${PROJECT}-job`, 'migrate'], dir);
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout);
    expect(plan.operations.map((op: { id: string }) => op.id)).toEqual([
      `create-network:${PROJECT}_back`,
      `create-container:${PROJECT}-db-1`,
      `start-container:${PROJECT}-db-1`,
      `wait-container:${PROJECT}-db-1:running`,
      `create-container:${PROJECT}-job`,
      `start-container:${PROJECT}-job`,
    ]);
    expect(plan.operations[4].body.Labels[LABEL.oneoff]).toBe('True');
    expect((await projectResources(engine!, PROJECT)).containers).toEqual([]);
  });

  it('starts the dependency, resolves it by name on the project network, and passes the exit code through', async () => {
    const result = await runBin(['--progress', 'quiet', 'run', '-T', 'migrate', 'sh', '-c', 'nc db 5432; echo "stage=$STAGE"; exit 3'], dir);
    expect(result).toMatchObject({ code: 3, stdout: 'ready\nstage=file\n' });
    const containers = await engine!.docker.listContainers({ all: true, filters: { label: [`${LABEL.project}=${PROJECT}`, `${LABEL.oneoff}=True`] } });
    expect(containers).toHaveLength(1);
    expect(containers[0]!.Names[0]).toMatch(new RegExp(`^/${PROJECT}-migrate-run-[0-9a-f]{12}$`));
    // No ports without --service-ports, no aliases without --use-aliases.
    const details = await engine!.docker.getContainer(containers[0]!.Id).inspect();
    expect(details.HostConfig.PortBindings ?? {}).toEqual({});
    expect(details.NetworkSettings.Networks[`${PROJECT}_back`]!.Aliases ?? []).not.toContain('migrations');
    expect((await engine!.docker.getContainer(`${PROJECT}-db-1`).inspect()).State.Running).toBe(true);
  });

  it('--rm removes it; -e, -u, -w, --entrypoint, --use-aliases and --service-ports apply', async () => {
    const result = await runBin(['--progress', 'quiet', 'run', '--rm', '-T', '-e', 'STAGE=cli', '-u', '65534', '-w', '/tmp', '--use-aliases', '--service-ports', '--entrypoint', 'sh -c', '--name', `${PROJECT}-once`, 'migrate', 'echo "$STAGE $(id -u) $(pwd)"; nslookup migrations >/dev/null && echo alias-ok'], dir);
    expect(result).toMatchObject({ code: 0, stdout: 'cli 65534 /tmp\nalias-ok\n' });
    await expect(engine!.docker.getContainer(`${PROJECT}-once`).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('-d prints the name and returns; --no-deps starts nothing else', async () => {
    const detached = await runBin(['--progress', 'quiet', 'run', '-d', '--no-deps', 'migrate', 'sleep', '30'], dir);
    expect(detached.code).toBe(0);
    const name = detached.stdout.trim();
    expect(name).toMatch(new RegExp(`^${PROJECT}-migrate-run-`));
    expect((await engine!.docker.getContainer(name).inspect()).State.Running).toBe(true);
    const plan = JSON.parse((await runBin(['run', '--dry-run', '--format', 'json', '--no-deps', 'migrate'], dir)).stdout);
    expect(plan.operations.map((op: { kind: string }) => op.kind)).toEqual(['CreateContainer', 'StartContainer']);
  });

  it('on a terminal, runs on a tty and exits with the shell\'s code', async () => {
    const { code, screen } = await runOnTerminal(['--progress', 'quiet', 'run', '--rm', 'migrate', 'sh'], dir, [
      { expect: '# ', type: 'echo typed-$((6*7)); tty\r' },
      { expect: /typed-42\s+\/dev\/pts\//, type: 'exit 5\r' },
    ]);
    expect(screen).toContain('echo typed-$((6*7))');
    expect(code).toBe(5);
  });

  it('in the library, returns the exit code and the output', async () => {
    const result = await run({ workingDir: dir, environment: {}, connection: engine!, service: 'migrate', command: ['sh', '-c', 'echo out; echo err >&2; exit 2'], remove: true });
    expect(result).toMatchObject({ exitCode: 2, stdout: 'out\n', stderr: 'err\n' });
  });
});

describe.skipIf(!engine)('down after run', () => {
  it("removes run's one-off containers with the project, so that its networks can go", async () => {
    const dir = tempProject({ 'compose.yaml': COMPOSE.replace(`name: ${PROJECT}`, `name: ${PROJECT}-down`) });
    await forceRemoveProject(engine!, `${PROJECT}-down`);
    try {
      expect((await runBin(['--progress', 'quiet', 'run', '-T', '--no-deps', 'migrate', 'true'], dir)).code).toBe(0);
      expect((await runBin(['--progress', 'quiet', 'down'], dir)).code).toBe(0);
      expect(await projectResources(engine!, `${PROJECT}-down`)).toEqual({ containers: [], networks: [], volumes: [] });
    } finally {
      await forceRemoveProject(engine!, `${PROJECT}-down`);
    }
  });
});
