/**
 * tscompose as a library: the same use cases the CLI runs.
 *
 *   import { up } from 'tscompose';
 *   const { plan } = await up({ workingDir: 'examples/demo', wait: true });
 */
export * from './usecases/index.js';
