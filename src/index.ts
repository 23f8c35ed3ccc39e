/**
 * tscompose as a library: the same stages the CLI runs.
 *
 *   import { load } from 'tscompose';
 *   const { project } = load({ workingDir: 'examples/demo' });
 */
export * from './loader/index.js';
export * from './errors.js';
export * from './planner/index.js';
