import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, LABEL, runOneOff, up } from '../../src/usecases/index.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { tempProject } from '../helpers/fixtures.js';
import { forceRemoveProject } from '../helpers/project.js';

const engine = await engineForTests();

const PROJECT = 'i15-exec-run';
const COMPOSE = `services:
  db:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "while true; do echo ready | nc -l -p 5432; done"]
    environment: { ROLE: database }
    networks: [back, front]
    ports: ["127.0.0.1::5432"]
    stop_grace_period: 0s
networks:
  back: {}
  front: {}
`;

describe.skipIf(!engine)('a one-off container in the library (run --rm)', () => {
  const workingDir = tempProject({ 'compose.yaml': COMPOSE });
  const options = { workingDir, projectName: PROJECT, environment: {}, connection: engine! };

  beforeAll(async () => {
    await forceRemoveProject(engine!, PROJECT);
    await up(options);
  });
  afterAll(async () => {
    await down({ ...options, timeout: 0 }).catch(() => undefined);
    await forceRemoveProject(engine!, PROJECT);
  });

  it('runOneOff runs a one-off container of the service on its networks, publishing nothing, and removes it', async () => {
    // On both networks (the second connected before start under API 1.41), reaching the service by name.
    const result = await runOneOff('db', ['sh', '-c', 'echo $ROLE $EXTRA $(pwd); nc db 5432 </dev/null; ls /sys/class/net | grep -c eth'], { ...options, env: { EXTRA: 'given' }, workdir: '/tmp' });
    expect(result).toEqual({ exitCode: 0, stdout: 'database given /tmp\nready\n2\n', stderr: '' });
    const left = await engine!.docker.listContainers({ all: true, filters: { label: [`${LABEL.project}=${PROJECT}`, `${LABEL.oneoff}=True`] } });
    expect(left).toEqual([]);
  });

  it('an aborted run is removed all the same', async () => {
    const controller = new AbortController();
    const running = runOneOff('db', ['sh', '-c', 'echo started; sleep 600'], { ...options, signal: controller.signal, onProgress: (event) => {
      if (event.kind === 'CreateContainer' && event.status === 'done') setImmediate(() => controller.abort(new Error('enough')));
    } });
    await expect(running).rejects.toThrow('enough');
    const left = await engine!.docker.listContainers({ all: true, filters: { label: [`${LABEL.project}=${PROJECT}`, `${LABEL.oneoff}=True`] } });
    expect(left).toEqual([]);
  });
});
