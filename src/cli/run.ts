import { run, planRunCommand, UsageError, type PullOverride } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import { terminalIo, variablesOf } from './exec.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';
import { planFormatOf, printPlan } from './plan-view.js';
import { progressRenderer } from './progress-option.js';

export const RUN_OPTIONS: OptionSpec[] = [
  { name: 'rm', description: 'Remove the container when it exits' },
  { name: 'detach', short: 'd', description: 'Start it in the background and print its name' },
  { name: 'name', value: true, placeholder: 'NAME', description: 'Name of the container (default <project>-<service>-run-<id>)' },
  { name: 'env', short: 'e', value: true, repeat: true, placeholder: 'KEY=VALUE', description: 'Set a variable (repeatable)' },
  { name: 'label', short: 'l', value: true, repeat: true, placeholder: 'KEY=VALUE', description: 'Add a label (repeatable)' },
  { name: 'volume', short: 'v', value: true, repeat: true, placeholder: 'SRC:DST[:ro]', description: 'Mount a path or volume (repeatable)' },
  { name: 'publish', short: 'p', value: true, repeat: true, placeholder: 'PORTS', description: "Publish a port, as under ports: (repeatable)" },
  { name: 'service-ports', description: "Publish the service's ports (otherwise none are)" },
  { name: 'use-aliases', description: "Give the container the service's network aliases" },
  { name: 'no-deps', description: "Don't start the services it depends on" },
  { name: 'entrypoint', value: true, placeholder: 'CMD', description: "Override the image's entrypoint" },
  { name: 'user', short: 'u', value: true, placeholder: 'USER', description: 'Run as this user (name or uid[:gid])' },
  { name: 'workdir', short: 'w', value: true, placeholder: 'DIR', description: 'Working directory of the command' },
  { name: 'no-TTY', short: 'T', description: 'No pseudo-terminal, even when stdin and stdout are terminals' },
  { name: 'build', description: 'Build the image first' },
  { name: 'pull', value: true, placeholder: 'always|missing|never|policy', description: "Pull the image: always, when missing, never, or by its pull_policy (default)" },
  { name: 'dry-run', description: 'Print the plan: the dependencies started and the one-off container; change nothing' },
  { name: 'format', value: true, placeholder: 'table|json', description: 'With --dry-run: output format (default: table)' },
];

/** `run SERVICE [COMMAND...]`: a one-off container of the service; its exit code is ours. */
export async function runCommand({ global, options, positionals, stdout, stderr, status }: CommandContext): Promise<number> {
  const [service, ...command] = positionals;
  if (!service) throw new UsageError('run needs a service', { hint: 'tscompose run [OPTIONS] SERVICE [COMMAND [ARGS...]]' });
  const pull = options.pull as PullOverride | undefined;
  if (pull !== undefined && !['always', 'missing', 'never', 'policy'].includes(pull)) throw new UsageError(`unknown --pull value "${pull}"`, { hint: 'use one of always, missing, never, policy' });
  const labels = variablesOf(options.label as string[] | undefined);
  const settings = {
    ...loadOptionsFrom(global),
    service,
    command,
    ...(options.name ? { name: options.name as string } : {}),
    ...(options.entrypoint !== undefined ? { entrypoint: options.entrypoint as string } : {}),
    env: variablesOf(options.env as string[] | undefined),
    ...(labels ? { labels } : {}),
    volumes: options.volume as string[] | undefined,
    publish: options.publish as string[] | undefined,
    servicePorts: Boolean(options['service-ports']),
    useAliases: Boolean(options['use-aliases']),
    noDeps: Boolean(options['no-deps']),
    user: options.user as string | undefined,
    workdir: options.workdir as string | undefined,
    remove: Boolean(options.rm),
    build: Boolean(options.build),
    ...(pull ? { pull } : {}),
  };
  if (options['dry-run']) {
    const format = planFormatOf(options);
    const { plan, warnings } = await planRunCommand(settings);
    for (const warning of warnings) warn({ global, stderr }, warning);
    await printPlan(plan, format, stdout);
    return plan.conflicts.length > 0 ? 1 : 0;
  }
  const renderer = await progressRenderer(global, status);
  const onProgress = (event: Parameters<typeof renderer.event>[0]) => renderer.event(event);
  if (options.detach) {
    try {
      const result = await run({ ...settings, detach: true, onProgress });
      renderer.close();
      stdout.write(`${result.container}\n`);
      return 0;
    } finally {
      renderer.close();
    }
  }
  const terminal = terminalIo(stdout, stderr, Boolean(options['no-TTY']));
  try {
    const result = await run({ ...settings, io: terminal.io, onProgress });
    for (const warning of result.warnings) warn({ global, stderr }, warning);
    return result.exitCode;
  } finally {
    renderer.close();
    terminal.restore();
  }
}
