export { planStack, type StackPlanOptions, type StackContents } from './plan-stack.js';
export { planStackRemoval } from './plan-stack-rm.js';
export { serviceSpec } from './service-spec.js';
export * from './types.js';
