import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

describe('commands that need no engine', () => {
  it('config works with no engine reachable', async () => {
    const previous = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      const { code } = await runCli(['config', '-q'], fixture('valid', 'multi-network'));
      expect(code).toBe(0);
    } finally {
      if (previous === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = previous;
    }
  });
});
