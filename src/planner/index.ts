export { plan, selectServices, MINIMUM_API_VERSION } from './plan.js';
export { formatOperations } from './operation-graph.js';
export { formatChange } from './config-diff.js';
export { LABEL } from './labels.js';
export type * from './types.js';
export { planDown } from './plan-down.js';
export { planImageWork, serviceImageName, imagesNeedingAge, type ImageWork } from './images.js';
export { planLifecycle, type LifecycleCommand, type LifecycleOptions } from './plan-lifecycle.js';
export { planRun, type RunPlanOptions } from './plan-run.js';
