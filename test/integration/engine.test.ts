import { describe, expect, it } from 'vitest';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';

const engine = await engineForTests();

describe.skipIf(!engine)('the provisioned engine', () => {
  it('speaks API 1.41 or newer', () => {
    const [major, minor] = engine!.apiVersion.split('.').map(Number);
    expect(major! * 1000 + minor!).toBeGreaterThanOrEqual(1041);
  });

  it('has the test image, and it runs busybox', async () => {
    const { docker } = engine!;
    const container = await docker.createContainer({
      Image: TEST_IMAGE,
      Cmd: ['sh', '-c', 'echo hello from $(busybox | head -1 | cut -d" " -f1)'],
      Labels: { 'com.tscompose.test': 'engine' },
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      await container.start();
      const { StatusCode } = await container.wait();
      const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as Buffer;
      expect(StatusCode).toBe(0);
      expect(logs.toString()).toContain('hello from BusyBox');
    } finally {
      await container.remove({ force: true });
    }
  });
});
