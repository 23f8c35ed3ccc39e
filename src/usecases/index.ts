/**
 * The library: one function per use case (load → observe → plan → run), and what their callers
 * need to read the results. src/index.ts exports this; the CLI imports nothing else.
 */
export * from '../loader/index.js';
export * from '../errors.js';
export { plan, MINIMUM_API_VERSION, formatOperations, formatChange, LABEL, planDown, planImageWork, serviceImageName, imagesNeedingAge, type ImageWork } from '../planner/index.js';
export type * from '../planner/types.js';
export { closestMatch, didYouMean } from '../loader/suggest.js';
export { redactSecrets } from '../secrets.js';
export { VERSION } from '../version.js';
export { envFlag } from '../loader/env-flag.js';

export { planUp, type PlanUpOptions, type UpPlanning } from './plan-up.js';
export { topology, type TopologyOptions } from './topology.js';
export { up, type UpOptions, type UpResult } from './up.js';
export { down, downPlan, type DownRunOptions } from './down.js';
export { stop, type StopOptions } from './stop.js';
export { ps, containerSummaries, type PsOptions } from './ps.js';
export { port, ServiceNotRunningError, PortNotPublishedError, type PortOptions } from './port.js';
export { logs, logsOf, type LogsOptions, type ContainerLog, type LogLine, type LogOptions } from './logs.js';
export { pull, build, type PullOptions, type BuildOptions, type ImageWorkResult } from './images.js';
export { ImagePullError, ImageBuildError } from '../engine/images.js';
export { containerExitCode, type ProjectContainer, type PublishedPort as PublishedHostPort, type ContainerSummary, type PortPublisher } from '../engine/project-containers.js';
export { env, ProjectNotRunningError, type EnvOptions } from './env.js';
export type { Endpoint, ProjectEnv } from './endpoints.js';
export { linkVariables } from './link-variables.js';
export { formatEnv, ENV_FORMATS, type EnvFormat } from './env-format.js';
export { WaitError, WaitTimeoutError, ServiceFailedError } from './readiness.js';
export { formatWaitReport } from './wait-report.js';
export { loadProject, loadProjectOrName, requireServices, type ProjectTarget } from './target.js';
export type { HealthCheckResult } from '../engine/container-state.js';
export { ContainerWaitError } from '../executor/container-wait.js';
export { EngineUnavailableError } from '../engine/address.js';
export type { EngineConnection } from '../engine/client.js';
export { withProgress, type ProgressRun } from '../progress/with-progress.js';
export { message, type ProgressEvent, type ContainerReport } from '../progress/events.js';
export { createRenderer, type ProgressMode, type ProgressRenderer } from '../progress/renderers.js';
export { PlanConflictError, type EngineOptions } from './session.js';
export { OperationFailedError, type OperationEvent } from '../executor/run-operations.js';
