import { envFlag, planUp, stack, topology, UsageError, type PlanOptions, type PullOverride } from '../usecases/index.js';
import type { OptionSpec, ParsedOptions } from './args.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';
import { planFormatOf, printPlan } from './plan-view.js';
import { renderGraph, renderStackGraph } from './render-graph.js';

export const PLAN_OPTIONS: OptionSpec[] = [
  { name: 'format', value: true, placeholder: 'table|json', description: 'Output format (default: table)' },
  { name: 'force-recreate', description: 'Plan to recreate containers even if unchanged' },
  { name: 'no-recreate', description: 'Keep existing containers even if their configuration changed' },
  { name: 'remove-orphans', description: 'Remove containers of services not in the compose file' },
  { name: 'no-start', description: 'Create, do not start' },
  { name: 'timeout', short: 't', value: true, placeholder: 'SECONDS', description: 'Seconds to wait for a container to stop before killing it' },
  { name: 'pull', value: true, placeholder: 'always|missing|never|policy', description: "Pull images: always, when missing, never, or by each service's pull_policy (default)" },
  { name: 'build', description: 'Build images of services with a build: section before starting, even when they exist' },
  { name: 'no-build', description: 'Never build; pull a missing image instead when the service names one' },
  { name: 'no-deps', description: "Only the services named, not the ones they depend on" },
  { name: 'always-recreate-deps', description: 'Recreate the services the named ones depend on, changed or not' },
  { name: 'renew-anon-volumes', short: 'V', description: 'Recreated containers get new anonymous volumes (always so with tscompose)' },
  { name: 'scale', value: true, repeat: true, placeholder: 'SERVICE=N', description: 'Run N replicas of the service, over scale: and deploy.replicas (repeatable)' },
];

/** `--scale web=3 --scale db=1` as replica counts. */
function scaleOf(values: string[] | undefined): Record<string, number> | undefined {
  if (!values) return undefined;
  return Object.fromEntries(
    values.map((entry) => {
      const [service, count] = entry.split('=');
      const replicas = Number(count);
      if (!service || count === undefined || !(Number.isInteger(replicas) && replicas >= 0)) throw new UsageError(`--scale takes SERVICE=N, not "${entry}"`);
      return [service, replicas];
    }),
  );
}

const PULL_OVERRIDES: PullOverride[] = ['always', 'missing', 'never', 'policy'];

export function planOptionsFrom(options: ParsedOptions, services: string[]): PlanOptions {
  if (options['force-recreate'] && options['no-recreate']) throw new UsageError('--force-recreate and --no-recreate cannot be combined');
  if (options['always-recreate-deps'] && options['no-recreate']) throw new UsageError('--always-recreate-deps and --no-recreate cannot be combined');
  if (options.build && options['no-build']) throw new UsageError('--build and --no-build cannot be combined');
  const pull = options.pull as PullOverride | undefined;
  if (pull !== undefined && !PULL_OVERRIDES.includes(pull)) throw new UsageError(`unknown --pull value "${String(pull)}"`, { hint: `use one of ${PULL_OVERRIDES.join(', ')}` });
  const timeout = options.timeout === undefined ? undefined : Number(options.timeout);
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 0)) throw new UsageError(`--timeout takes whole seconds, not "${String(options.timeout)}"`);
  return {
    services,
    forceRecreate: Boolean(options['force-recreate']),
    noRecreate: Boolean(options['no-recreate']),
    // As with compose, COMPOSE_REMOVE_ORPHANS is the default of --remove-orphans.
    removeOrphans: Boolean(options['remove-orphans']) || envFlag(process.env.COMPOSE_REMOVE_ORPHANS),
    noStart: Boolean(options['no-start']),
    ...(timeout === undefined ? {} : { timeout }),
    ...(pull === undefined ? {} : { pull }),
    ...(options.build ? { build: true } : {}),
    ...(options['no-build'] ? { noBuild: true } : {}),
    ...(options['no-deps'] ? { noDeps: true } : {}),
    ...(options['always-recreate-deps'] ? { alwaysRecreateDeps: true } : {}),
    ...(options.scale ? { scale: scaleOf(options.scale as string[]) } : {}),
  };
}

/** Loads, observes and plans; prints the plan as a table or JSON. Exit 1 when conflicts stop it. */
export async function planCommand(context: CommandContext): Promise<number> {
  const { global, options, positionals, stdout, stderr } = context;
  if (options.down) {
    const { downPlanCommand } = await import('./down.js');
    return downPlanCommand(context);
  }
  const format = planFormatOf(options);
  const { plan, warnings, note } = await planUp({ ...loadOptionsFrom(global), ...planOptionsFrom(options, positionals), engineOptional: true });
  for (const warning of warnings) warn({ global, stderr }, warning);
  if (note) warn({ global, stderr }, { message: note });
  await printPlan(plan, format, stdout);
  return plan.conflicts.length > 0 ? 1 : 0;
}

export const GRAPH_OPTIONS: OptionSpec[] = [
  { name: 'format', value: true, placeholder: 'mermaid|dot', description: 'Mermaid flowchart (default) or Graphviz DOT' },
  { name: 'stack', value: true, placeholder: 'NAME', description: 'Draw the file as the swarm stack NAME: overlay networks, services, published ports' },
];

/** `graph`: the topology the plan makes, as Mermaid or Graphviz DOT. */
export async function graphCommand({ global, options, positionals, stdout, stderr }: CommandContext): Promise<number> {
  const format = (options.format as string | undefined) ?? 'mermaid';
  if (format !== 'mermaid' && format !== 'dot') throw new UsageError(`unknown format "${format}"`, { hint: 'use --format mermaid or --format dot' });
  if (typeof options.stack === 'string') {
    const drawn = stack.plan({ ...loadOptionsFrom(global), stack: options.stack });
    for (const warning of drawn.warnings) warn({ global, stderr }, warning);
    stdout.write(renderStackGraph(drawn.plan, format));
    return 0;
  }
  const { plan, warnings } = topology({ ...loadOptionsFrom(global), services: positionals });
  for (const warning of warnings) warn({ global, stderr }, warning);
  stdout.write(renderGraph(plan, format));
  return 0;
}
