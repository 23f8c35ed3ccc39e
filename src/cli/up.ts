import { env, formatEnv, formatWaitReport, loadProject, NoSuchServiceError, requireServices, selectServices, up, UsageError, WaitError, type ComposeProject } from '../usecases/index.js';
import type { OptionSpec, ParsedOptions } from './args.js';
import type { AttachOptions } from './attach.js';
import { InterruptQueue } from './interrupts.js';
import { loadOptionsFrom, type CommandContext, warn, jsonDiagnostics } from './global-options.js';
import { PLAN_OPTIONS, planCommand, planOptionsFrom } from './plan.js';
import { progressRenderer } from './progress-option.js';
import { envFormatOf } from './env.js';

export const UP_OPTIONS: OptionSpec[] = [
  { name: 'detach', short: 'd', description: 'Return when started (without it, logs are followed until the containers stop; Ctrl-C or SIGTERM stops them)' },
  { name: 'dry-run', description: 'Print the plan; change nothing' },
  { name: 'wait', description: 'Return when every container is running, and healthy where it has a healthcheck (implies -d)' },
  { name: 'wait-timeout', value: true, placeholder: 'SECONDS', description: 'How long --wait waits (default: no limit)' },
  { name: 'print-env', description: 'Once ready, print where each published port is reachable, as tscompose env does (implies --wait)' },
  ...PLAN_OPTIONS.filter((option) => option.name !== 'format'),
  { name: 'format', value: true, placeholder: 'table|json', description: 'With --dry-run: output format; with --print-env: dotenv, github or json' },
  { name: 'abort-on-container-exit', description: 'Stop every container when one exits; exit with its code' },
  { name: 'abort-on-container-failure', description: 'Stop every container when one exits with a non-zero code; exit with it' },
  { name: 'exit-code-from', value: true, placeholder: 'SERVICE', description: "Exit with this service's exit code (implies --abort-on-container-exit)" },
  { name: 'quiet-pull', description: 'Pull (and build) without printing their progress; a failure is still reported' },
  { name: 'attach', value: true, repeat: true, placeholder: 'SERVICE', description: "Follow only these services' output (repeatable)" },
  { name: 'no-attach', value: true, repeat: true, placeholder: 'SERVICE', description: "Don't follow these services' output (repeatable)" },
  { name: 'no-log-prefix', description: "Don't prefix the followed lines with their container's name" },
  { name: 'no-color', description: 'Print the followed lines without colors' },
  { name: 'timestamps', description: 'Show when each followed line was written' },
  // Scripts for compose turn its interactive menu off with --menu=false (or COMPOSE_MENU=false); tscompose has none to turn on.
  { name: 'menu', description: 'Accepted as compose takes it; tscompose has no interactive menu' },
];

/** What following the containers' output does, from the options compose's `up` takes for it. */
function attachOptionsFrom(options: ParsedOptions, detached: boolean): AttachOptions {
  const exitCodeFrom = options['exit-code-from'] as string | undefined;
  if (options['abort-on-container-exit'] && options['abort-on-container-failure']) throw new UsageError('--abort-on-container-failure cannot be combined with --abort-on-container-exit');
  const abort = options['abort-on-container-failure'] ? 'failure' : options['abort-on-container-exit'] || exitCodeFrom ? 'exit' : undefined;
  const attach = options.attach as string[] | undefined;
  const noAttach = options['no-attach'] as string[] | undefined;
  if (detached && (abort || attach)) throw new UsageError('--abort-on-container-exit, --abort-on-container-failure, --exit-code-from and --attach need up in the foreground', { hint: 'leave out -d, --wait, --print-env and --no-start' });
  return {
    look: { prefix: !options['no-log-prefix'], color: !options['no-color'], timestamps: Boolean(options.timestamps) },
    ...(attach ? { attach } : {}),
    ...(noAttach ? { noAttach } : {}),
    ...(abort ? { abort } : {}),
    ...(exitCodeFrom ? { exitCodeFrom } : {}),
  };
}

/** --attach names services this up brings up (those named and, unless --no-deps, their dependencies): checked before anything starts, as compose does. */
export function checkAttach(project: ComposeProject, attach: readonly string[], services: readonly string[], noDeps: boolean): void {
  const included = selectServices(project, services, noDeps).map((service) => service.name);
  const outside = attach.filter((service) => !included.includes(service));
  if (outside.length > 0) throw new NoSuchServiceError(`cannot attach to services not included in up: ${outside.join(', ')}`, { hint: `this up brings up ${included.join(', ')}` });
}

/** `up`: creates and starts the project; `--dry-run` prints the plan instead. */
export async function upCommand(context: CommandContext): Promise<number> {
  const { global, options, positionals, stdout, stderr } = context;
  if (options['dry-run']) return planCommand(context);
  const waitTimeout = options['wait-timeout'] === undefined ? undefined : Number(options['wait-timeout']);
  if (waitTimeout !== undefined && !(waitTimeout > 0)) throw new UsageError(`--wait-timeout takes seconds, not "${String(options['wait-timeout'])}"`);
  if (options['print-env'] && options['no-start']) throw new UsageError('--print-env needs the containers started', { hint: 'leave out --no-start' });
  const envFormat = options['print-env'] ? envFormatOf(options.format) : undefined;
  const wait = Boolean(options.wait || envFormat);
  const planOptions = planOptionsFrom(options, positionals);
  const attach = attachOptionsFrom(options, Boolean(options.detach || wait || options['no-start']));
  // --exit-code-from and --attach name services: checked before anything starts, as compose does.
  const loaded = attach.exitCodeFrom || attach.attach ? loadProject({ ...loadOptionsFrom(global), services: positionals }) : undefined;
  if (loaded && attach.exitCodeFrom) requireServices(loaded.project, [attach.exitCodeFrom]);
  if (loaded && attach.attach) checkAttach(loaded.project, attach.attach, positionals, Boolean(planOptions.noDeps));
  const renderer = await progressRenderer(global, context.status);
  // In the foreground, Ctrl-C and SIGTERM stop the containers: from the start, so that one that comes while they start is not lost.
  const interrupts = !options.detach && !wait && !options['no-start'] ? new InterruptQueue() : undefined;
  try {
    const result = await up({ ...loadOptionsFrom(global), ...(loaded ? { project: loaded.project } : {}), ...planOptions, wait, waitTimeout, ...(options['quiet-pull'] ? { quietPull: true } : {}), onProgress: (event) => renderer.event(event) });
    for (const warning of loaded?.warnings ?? result.warnings) warn({ global, stderr }, warning);
    for (const warning of result.plan.warnings) warn({ global, stderr }, { message: warning });
    if (envFormat) {
      stdout.write(formatEnv(await env({ project: result.project, connection: result.connection }), envFormat));
    }
    if (interrupts) {
      renderer.close();
      const { attachLogs } = await import('./attach.js');
      return await attachLogs(result, context, interrupts, { ...attach, ...(planOptions.timeout === undefined ? {} : { timeout: planOptions.timeout }) });
    }
    return 0;
  } catch (error) {
    // With --progress json the report is part of the Error event (its containers field).
    if (error instanceof WaitError && !jsonDiagnostics(global)) {
      renderer.close();
      stderr.write(formatWaitReport(error.containers));
    }
    throw error;
  } finally {
    interrupts?.dispose();
    renderer.close();
  }
}
