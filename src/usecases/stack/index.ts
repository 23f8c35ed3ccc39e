/**
 * Stacks: the same compose file on a swarm (`docker stack deploy`), planned like `up`.
 *
 *   import { stack } from 'tscompose';
 *   await stack.deploy({ stack: 'shop', workingDir: 'examples/demo', wait: true });
 */
import { connectEngine, type EngineConnection } from '../../engine/client.js';
import { isSwarmManager, listStacks, observeSwarm, stackServices, stackTasks, swarmNodes, type StackServiceStatus, type StackTask } from '../../engine/swarm.js';
import { TscomposeError } from '../../errors.js';
import { toComposeJson, type LoaderWarning } from '../../loader/index.js';
import { planStack, planStackRemoval, STACK_NAMESPACE_LABEL, type StackPlan } from '../../planner/swarm/index.js';
import type { ProgressEvent } from '../../progress/events.js';
import { deploy, loadStack, runStackPlan, stackContents, stackListener, type StackEvent, type StackOptions } from './deploy.js';

export { StackConflictError, StackOperationError, RESOLVE_IMAGE_VALUES, type ResolveImage, type StackDeployOptions, type StackDeployResult, type StackEvent, type StackOptions } from './deploy.js';
export { StackConvergeError, type FailedTask } from './converge.js';
export type { StackServiceStatus, StackTask } from '../../engine/swarm.js';

export interface StackEngineOptions {
  stack: string;
  connection?: EngineConnection;
}

export interface StackRmOptions extends StackEngineOptions {
  dryRun?: boolean;
  onEvent?: (event: StackEvent) => void;
  onProgress?: (event: ProgressEvent) => void;
  /** Return before the engine has let go of the networks (their tasks still stopping); by default rm waits, so a deploy right after it starts clean. */
  detach?: boolean;
}

/** How long rm waits for the tasks of removed services to stop and free their networks. */
const RM_WAIT_MS = 120_000;

/** Not a swarm manager: nothing to list or remove there. */
export class NotASwarmManagerError extends TscomposeError {}

/** The connection, checked to be a swarm manager (only a manager lists services and tasks). */
async function connect(options: { connection?: EngineConnection }): Promise<EngineConnection> {
  const connection = options.connection ?? (await connectEngine());
  if (!(await isSwarmManager(connection))) throw new NotASwarmManagerError(`the engine at ${connection.address.display} is not a swarm manager`, { hint: 'point DOCKER_HOST at a manager of the swarm (docker swarm init makes one)' });
  return connection;
}

/** `stack rm`: every service, network, secret and config with the stack's namespace label. */
async function rm(options: StackRmOptions): Promise<StackPlan> {
  const connection = await connect(options);
  const observed = await observeSwarm(connection);
  const plan = planStackRemoval(options.stack, observed);
  if (options.dryRun) return plan;
  await runStackPlan(connection, plan, stackListener(options));
  if (!options.detach) await untilGone(connection, options.stack);
  return plan;
}

/** Waits (bounded) until the engine lists nothing of the stack: a removed network stays listed until its last task stopped. */
async function untilGone(connection: EngineConnection, name: string): Promise<void> {
  const deadline = Date.now() + RM_WAIT_MS;
  while (Date.now() < deadline) {
    const left = await observeSwarm(connection);
    const ours = (object: { labels: Record<string, string> }) => object.labels[STACK_NAMESPACE_LABEL] === name;
    if (![left.services, left.networks, left.secrets, left.configs].some((list) => list.some(ours))) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new TscomposeError(`stack ${name}: the swarm still lists some of its resources ${RM_WAIT_MS / 1000} s after rm`, { hint: 'tscompose stack ps STACK shows the tasks still stopping' });
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

/** The plan of a deploy to an empty swarm, without an engine: what `graph --stack` draws. */
function plan(options: StackOptions): { plan: StackPlan; warnings: LoaderWarning[] } {
  const { project, warnings } = loadStack(options);
  return { plan: planStack(project, undefined, stackContents(project)), warnings };
}

/** `stack config`: the model after loading, as the stack sees it (its name as project name); warnings go to `onWarning`. */
function config(options: StackOptions & { onWarning?: (message: string) => void }): Record<string, unknown> {
  const { project, warnings } = loadStack(options);
  for (const warning of warnings) options.onWarning?.(warning.message);
  return toComposeJson(project);
}

export const stack = { deploy, rm, services, ps, ls, config, plan };
