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
export { ps, containerSummaries, type PsOptions } from './executor/ps.js';
export { pull, build, type PullOptions, type BuildOptions, type ImageWorkResult } from './executor/images.js';
export { ImagePullError, ImageBuildError } from './engine/images.js';
export type { ProjectContainer, ContainerSummary, PortPublisher } from './engine/project-containers.js';
export { env, ProjectNotRunningError, type EnvOptions } from './executor/env.js';
export type { Endpoint, ProjectEnv } from './executor/endpoints.js';
export { linkVariables } from './executor/link-variables.js';
export { formatEnv, ENV_FORMATS, type EnvFormat } from './executor/env-format.js';
export { WaitError, WaitTimeoutError, ServiceFailedError, type ContainerReport } from './executor/wait.js';
export { formatWaitReport } from './executor/wait-report.js';
export type { HealthCheckResult } from './engine/container-state.js';
export { ContainerWaitError } from './engine/operation-runner.js';
export { EngineUnavailableError } from './engine/address.js';
export { withProgress, type ProgressRun } from './progress/with-progress.js';
export type { ProgressEvent } from './progress/events.js';
export { PlanConflictError } from './executor/project-session.js';
export { OperationFailedError, type OperationEvent } from './executor/run-operations.js';
