import { colors } from './colors.js';
import { RESOLVE_IMAGE_VALUES, stack, toComposeYaml, UsageError, type ResolveImage, type StackOperation, type StackPlan } from '../usecases/index.js';
import type { OptionSpec, ParsedOptions } from './args.js';
import { loadOptionsFrom, warn, type CommandContext } from './global-options.js';
import { planFormatOf } from './plan-view.js';
import { progressRenderer } from './progress-option.js';
import { formatTable } from './table.js';
import { writeJson } from './json-out.js';

export const STACK_OPTIONS: OptionSpec[] = [
  { name: 'compose-file', short: 'c', value: true, repeat: true, placeholder: 'FILE', description: 'deploy, config: compose file (repeatable; default: as -f, or discovery)' },
  { name: 'prune', description: 'deploy: remove services of the stack no longer in the file' },
  { name: 'resolve-image', value: true, placeholder: 'always|changed|never', description: 'deploy: pin images to their registry digest (default: always)' },
  { name: 'with-registry-auth', description: "deploy: send the client's registry credentials to the swarm" },
  { name: 'detach', description: 'deploy: return without waiting (default); --detach=false waits until every service converged' },
  { name: 'wait-timeout', value: true, placeholder: 'SECONDS', description: 'deploy --detach=false: how long to wait (default: no limit)' },
  { name: 'dry-run', description: 'deploy, rm: print the plan; change nothing' },
  { name: 'format', value: true, placeholder: 'table|json', description: 'deploy --dry-run, ls, ps, services: output format (config: yaml|json)' },
  { name: 'no-trunc', description: 'ps: do not truncate ids and errors' },
  { name: 'filter', value: true, repeat: true, placeholder: 'KEY=VALUE', description: 'ps: only tasks with desired-state=, node=, name= or id=' },
];

const SUBCOMMANDS = ['deploy', 'ls', 'ps', 'services', 'rm', 'config'];

const ACTION_COLOR: Record<string, 'green' | 'yellow' | 'red' | 'dim' | 'cyan'> = { create: 'green', update: 'yellow', remove: 'red', keep: 'dim', external: 'cyan' };
const action = (text: string) => (ACTION_COLOR[text] ? colors()[ACTION_COLOR[text]](text) : text);

/** `stack SUBCOMMAND`: the compose file as a swarm stack. */
export async function stackCommand(context: CommandContext): Promise<number> {
  const { options, positionals } = context;
  const [sub, ...names] = positionals;
  if (sub === undefined || !SUBCOMMANDS.includes(sub)) throw new UsageError(sub === undefined ? 'stack needs a subcommand' : `unknown stack subcommand "${sub}"`, { hint: `use one of ${SUBCOMMANDS.join(', ')}` });
  const format = options.format as string | undefined;
  if (sub === 'ls') return list(context, format);
  if (sub === 'config') return config(context, names[0], format);
  if (sub === 'rm' ? names.length === 0 : names.length !== 1) throw new UsageError(`stack ${sub} takes ${sub === 'rm' ? 'one or more stack names' : 'one stack name'}`);
  if (sub === 'deploy') return deploy(context, names[0]!);
  if (sub === 'rm') return remove(context, names);
  if (sub === 'services') return services(context, names[0]!, format);
  return ps(context, names[0]!, format, options);
}

function loadOptions(global: ParsedOptions, options: ParsedOptions) {
  const files = options['compose-file'] as string[] | undefined;
  return { ...loadOptionsFrom(global), ...(files ? { files } : {}) };
}

async function deploy(context: CommandContext, name: string): Promise<number> {
  const { global, options, stdout, stderr } = context;
  const format = planFormatOf(options);
  const resolveImage = (options['resolve-image'] as string | undefined) ?? 'always';
  if (!RESOLVE_IMAGE_VALUES.includes(resolveImage as ResolveImage)) throw new UsageError(`unknown --resolve-image value "${resolveImage}"`, { hint: `use one of ${RESOLVE_IMAGE_VALUES.join(', ')}` });
  const waitTimeout = options['wait-timeout'] === undefined ? undefined : Number(options['wait-timeout']);
  if (waitTimeout !== undefined && !(waitTimeout > 0)) throw new UsageError(`--wait-timeout takes seconds, not "${String(options['wait-timeout'])}"`);
  const dryRun = Boolean(options['dry-run']);
  const renderer = await progressRenderer(global, stderr);
  const result = await stack.deploy({
    ...loadOptions(global, options),
    stack: name,
    prune: Boolean(options.prune),
    withRegistryAuth: Boolean(options['with-registry-auth']),
    resolveImage: resolveImage as ResolveImage,
    dryRun,
    wait: options.detach === false,
    ...(waitTimeout === undefined ? {} : { waitTimeout }),
    onProgress: (event) => renderer.event(event),
  }).finally(() => renderer.close());
  for (const warning of result.warnings) warn({ global, stderr }, warning);
  for (const warning of result.plan.warnings) warn({ global, stderr }, { message: warning });
  if (dryRun) {
    if (format === 'json') await writeJson(result.plan, stdout);
    else stdout.write(renderStackPlan(result.plan));
    return result.plan.conflicts.length > 0 ? 1 : 0;
  }
  return 0;
}

async function remove(context: CommandContext, names: string[]): Promise<number> {
  for (const name of names) {
    const renderer = await progressRenderer(context.global, context.stderr);
    const plan = await stack.rm({ stack: name, dryRun: Boolean(context.options['dry-run']), onProgress: (event) => renderer.event(event) }).finally(() => renderer.close());
    if (context.options['dry-run']) context.stdout.write(renderStackPlan(plan));
    for (const warning of plan.warnings) warn(context, { message: warning });
  }
  return 0;
}

async function list({ stdout }: CommandContext, format = 'table'): Promise<number> {
  const stacks = await stack.ls();
  stdout.write(format === 'json' ? JSON.stringify(stacks, null, 2) + '\n' : formatTable(['NAME', 'SERVICES'], stacks.map((entry) => [entry.name, String(entry.services)])) + '\n');
  return 0;
}

async function services({ stdout }: CommandContext, name: string, format = 'table'): Promise<number> {
  const list = await stack.services({ stack: name });
  if (format === 'json') {
    stdout.write(JSON.stringify(list, null, 2) + '\n');
    return 0;
  }
  stdout.write(formatTable(['ID', 'NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS'], list.map((entry) => [entry.id.slice(0, 12), entry.name, entry.mode, `${entry.running}/${entry.desired}`, entry.image, entry.ports.join(', ')])) + '\n');
  return 0;
}

async function ps({ stdout }: CommandContext, name: string, format = 'table', options: ParsedOptions): Promise<number> {
  const filters = ((options.filter as string[] | undefined) ?? []).map((filter) => {
    const [key = '', value = ''] = filter.split(/=(.*)/s);
    if (!['desired-state', 'node', 'name', 'id'].includes(key)) throw new UsageError(`unknown filter "${key}"`, { hint: 'use desired-state=, node=, name= or id=' });
    return { key, value };
  });
  const noTrunc = Boolean(options['no-trunc']);
  const tasks = (await stack.ps({ stack: name })).filter((task) =>
    filters.every(({ key, value }) => (key === 'desired-state' ? task.desiredState === value : key === 'node' ? task.node === value || task.nodeId === value : key === 'name' ? task.name.startsWith(value) : task.id.startsWith(value))),
  );
  if (format === 'json') {
    stdout.write(JSON.stringify(tasks, null, 2) + '\n');
    return 0;
  }
  const trunc = (text: string, width: number) => (noTrunc || text.length <= width ? text : text.slice(0, width - 1) + '…');
  stdout.write(formatTable(['ID', 'NAME', 'IMAGE', 'NODE', 'DESIRED STATE', 'CURRENT STATE', 'ERROR', 'PORTS'], tasks.map((task) => [noTrunc ? task.id : task.id.slice(0, 12), task.name, task.image, task.node, task.desiredState, task.state, trunc(task.error, 30), task.ports.join(', ')])) + '\n');
  return 0;
}

function config({ global, options, stdout, stderr }: CommandContext, name: string | undefined, format = 'yaml'): number {
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`unknown format "${format}"`, { hint: 'use --format yaml or --format json' });
  const json = stack.config({ ...loadOptions(global, options), stack: name ?? (global['project-name'] as string | undefined) ?? 'stack', onWarning: (message) => warn({ global, stderr }, { message }) });
  stdout.write(format === 'json' ? JSON.stringify(json, null, 2) + '\n' : toComposeYaml(json));
  return 0;
}

/** As `up --dry-run` prints its operations: `id <- dependencies, cause`. */
function operationLine(operation: StackOperation): string {
  const deps = operation.dependsOn.length > 0 ? ` <- ${operation.dependsOn.join(' ')}` : '';
  return `${operation.id}${deps}, ${operation.cause}`;
}

/** What `stack deploy --dry-run` prints: networks, secrets and configs, services, then the operations. */
export function renderStackPlan(plan: StackPlan): string {
  const sections = [colors().bold(`Plan for stack ${plan.stack}`) + colors().dim(` (swarm, ${plan.observed ? 'compared with the swarm' : 'planned from empty state'})`)];
  if (plan.networks.length > 0) sections.push(formatTable(['NETWORK', 'DRIVER', 'ACTION', 'CAUSE'], plan.networks.map((network) => [network.name, network.driver, action(network.action), network.cause])));
  const objects = [...plan.secrets.map((secret) => ['secret', secret] as const), ...plan.configs.map((config) => ['config', config] as const)];
  if (objects.length > 0) sections.push(formatTable(['SECRET/CONFIG', 'NAME', 'ACTION', 'CAUSE'], objects.map(([kind, object]) => [kind, object.name, action(object.action), object.cause])));
  if (plan.services.length > 0) {
    sections.push(
      formatTable(
        ['SERVICE', 'MODE', 'ACTION', 'CAUSE', 'NETWORKS (ALIASES)', 'PORTS'],
        plan.services.map((service) => [
          service.name,
          service.mode + (service.replicas === undefined || service.mode === 'replicated-job' ? '' : ` ×${service.replicas}`),
          action(service.action),
          service.cause,
          service.networks.map((network) => `${network.name} (${network.aliases.join(', ')})`).join('; ') || '-',
          service.ports.map((port) => `${port.published ?? '<random>'}->${port.target}/${port.protocol} ${port.mode}`).join('; ') || '-',
        ]),
      ),
    );
  }
  if (plan.conflicts.length > 0) sections.push(colors().red.bold('Conflicts (nothing will be created):') + '\n' + plan.conflicts.map((conflict) => `  ${colors().red('✘')} ${conflict.message}`).join('\n'));
  else sections.push(colors().bold('Operations') + '\n' + (plan.operations.length > 0 ? plan.operations.map(operationLine).join('\n') : colors().dim('none: the swarm already holds the stack')));
  return sections.join('\n\n') + '\n';
}
