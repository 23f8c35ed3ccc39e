import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // In the tscompose repository, 'tscompose' is its source. In a project of your own, leave
  // this out: 'tscompose' is the installed package.
  resolve: { alias: { tscompose: fileURLToPath(new URL('../../../src/index.ts', import.meta.url)) } },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*.test.ts'],
    // One stack for the whole run, shared by the files that inject it.
    globalSetup: ['global-setup.ts'],
    // Files run in parallel, each in a worker of its own: the isolated stacks never meet.
    fileParallelism: true,
    hookTimeout: 120_000,
  },
});
