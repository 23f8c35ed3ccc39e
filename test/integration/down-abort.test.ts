import { describe, expect, it } from 'vitest';
import { down, LABEL } from '../../src/usecases/index.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { forceRemoveProject } from '../helpers/project.js';

const engine = await engineForTests();

const PROJECT = 'i15-down-abort';

describe.skipIf(!engine)('down with an AbortSignal', () => {
  it('stops at the abort, leaving what it had not reached for a later down', async () => {
    await forceRemoveProject(engine!, PROJECT);
    try {
      const labels = { [LABEL.project]: PROJECT, [LABEL.service]: 'app', [LABEL.containerNumber]: '1', [LABEL.oneoff]: 'False' };
      // sleep as PID 1 ignores SIGTERM: the stop would wait out its whole StopTimeout.
      const container = await engine!.docker.createContainer({ name: `${PROJECT}-app-1`, Image: TEST_IMAGE, Cmd: ['sleep', '600'], Labels: labels, StopTimeout: 300, HostConfig: { NetworkMode: 'none' } });
      await container.start();
      const controller = new AbortController();
      const stopping = down({
        projectName: PROJECT,
        workingDir: '/',
        connection: engine!,
        signal: controller.signal,
        onProgress: (event) => {
          if (event.kind === 'StopContainer' && event.status === 'working') controller.abort(new Error('given up'));
        },
      });
      await expect(stopping).rejects.toThrow('given up');
      // Not removed: the remove comes after the stop, which the abort cut short.
      expect((await container.inspect()).Name).toBe(`/${PROJECT}-app-1`);
      await expect(down({ projectName: PROJECT, workingDir: '/', connection: engine!, signal: AbortSignal.abort(new Error('before anything')) })).rejects.toThrow('before anything');
    } finally {
      await forceRemoveProject(engine!, PROJECT);
    }
  });
});
