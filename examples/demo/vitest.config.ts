import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // In the tscompose repository, 'tscompose' is its source. In a project of your own, leave
  // this out: 'tscompose' is the installed package.
  resolve: { alias: { tscompose: fileURLToPath(new URL('../../src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    // Brings the services up (waiting until they are ready) before any test, and down after.
    globalSetup: ['test/global-setup.ts'],
    hookTimeout: 180_000,
  },
});
