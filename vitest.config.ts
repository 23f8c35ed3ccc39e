import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Validators are generated from schemas/ before any test imports the loader.
    globalSetup: ['test/setup/generate-validators.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
