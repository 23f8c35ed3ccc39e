/**
 * Stacks: the same compose file on a swarm (`docker stack deploy`), planned like `up`.
 *
 *   import { stack } from 'tscompose';
 *   await stack.deploy({ stack: 'shop', workingDir: 'examples/demo', wait: true });
 */
import { connectEngine, type EngineConnection } from '../engine/client.js';
import { listStacks, observeSwarm, stackServices, stackTasks, swarmNodes, type StackServiceStatus, type StackTask } from '../engine/swarm.js';
import { toComposeJson } from '../loader/index.js';
import { planStackRemoval, type StackPlan } from '../planner/swarm/index.js';
import { deploy, loadStack, runStackPlan, StackConflictError, type StackEvent, type StackOptions } from './deploy.js';

export { StackConflictError, StackOperationError, type StackDeployOptions, type StackDeployResult, type StackEvent, type StackOptions } from './deploy.js';
export { StackConvergeError, type FailedTask } from './converge.js';
export type { StackServiceStatus, StackTask } from '../engine/swarm.js';

export interface StackEngineOptions {
  stack: string;
  connection?: EngineConnection;
}

export interface StackRmOptions extends StackEngineOptions {
  dryRun?: boolean;
  onEvent?: (event: StackEvent) => void;
}

const connect = (options: { connection?: EngineConnection }) => options.connection ?? connectEngine();

/** `stack rm`: every service, network, secret and config with the stack's namespace label. */
async function rm(options: StackRmOptions): Promise<StackPlan> {
  const connection = await connect(options);
  const observed = await observeSwarm(connection);
  if (!observed.manager) throw new StackConflictError([{ kind: 'not-a-swarm-manager', message: 'the engine is not a swarm manager', resource: `stack:${options.stack}` }]);
  const plan = planStackRemoval(options.stack, observed);
  if (!options.dryRun) await runStackPlan(connection, plan, options.onEvent);
  return plan;
}

/** `stack services`: the stack's services with their running and wanted tasks. */
async function services(options: StackEngineOptions): Promise<StackServiceStatus[]> {
  return stackServices(await connect(options), options.stack);
}

/** `stack ps`: the tasks of the stack's services, with the node each runs on. */
async function ps(options: StackEngineOptions): Promise<(StackTask & { node: string })[]> {
  const connection = await connect(options);
  const [list, nodes] = await Promise.all([stackServices(connection, options.stack), swarmNodes(connection)]);
  const tasks = await stackTasks(connection, list);
  return tasks.map((task) => ({ ...task, node: nodes.get(task.nodeId) ?? task.nodeId })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : b.updatedAt.localeCompare(a.updatedAt)));
}

/** `stack ls`: the stacks on the swarm and how many services each has. */
async function ls(options: { connection?: EngineConnection } = {}): Promise<{ name: string; services: number }[]> {
  const stacks = await listStacks(await connect(options));
  return [...stacks].map(([name, count]) => ({ name, services: count })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** `stack config`: the model after loading, as the stack sees it (its name as project name). */
function config(options: StackOptions): Record<string, unknown> {
  return toComposeJson(loadStack(options).project);
}

export const stack = { deploy, rm, services, ps, ls, config };
