/**
 * tscompose as a library: the same stages the CLI runs.
 *
 *   import { load } from 'tscompose';
 *   const { project } = load({ workingDir: 'examples/demo' });
 */
export * from './loader/index.js';
export * from './errors.js';
export * from './planner/index.js';
export { up, type UpOptions, type UpResult } from './executor/up.js';
export { down, type DownRunOptions } from './executor/down.js';
export { PlanConflictError } from './executor/project-session.js';
export { OperationFailedError, type OperationEvent } from './executor/run-operations.js';
