/** @type {import('jest').Config} */
module.exports = {
  testMatch: ['<rootDir>/*.test.cjs'],
  // One stack for the whole run: up before the first test file, down after the last.
  globalSetup: '<rootDir>/global-setup.cjs',
  globalTeardown: '<rootDir>/global-teardown.cjs',
  // Test files in parallel, each with a stack of its own.
  maxWorkers: 3,
  testTimeout: 120_000,
  // Plain CommonJS: nothing to transform.
  transform: {},
};
