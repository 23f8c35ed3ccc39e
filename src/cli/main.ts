import { exposedEngineWarningFor, UsageError, VERSION } from '../usecases/index.js';
import { formatOptions, parseArgs, type OptionSpec } from './args.js';
import { CONFIG_OPTIONS, configCommand } from './config.js';
import { DOWN_OPTIONS, downCommand } from './down.js';
import { GRAPH_OPTIONS, graphCommand, PLAN_OPTIONS, planCommand } from './plan.js';
import { UP_OPTIONS, upCommand } from './up.js';
import { BUILD_OPTIONS, buildCommand, PULL_OPTIONS, pullCommand } from './images.js';
import { LOGS_OPTIONS, logsCommand } from './logs.js';
import { LS_OPTIONS, lsCommand } from './ls.js';
import { PORT_OPTIONS, portCommand } from './port.js';
import { PS_OPTIONS, psCommand } from './ps.js';
import { ENV_OPTIONS, envCommand } from './env.js';
import { lifecycleCommand, LIFECYCLE_OPTIONS } from './lifecycle.js';
import { CREATE_OPTIONS, createCommand } from './create.js';
import { EXEC_OPTIONS, execCommand } from './exec.js';
import { RUN_OPTIONS, runCommand } from './run.js';
import { TOP_OPTIONS, topCommand } from './top.js';
import { IMAGES_OPTIONS, imagesCommand } from './container-images.js';
import { WAIT_OPTIONS, waitCommand } from './wait.js';
import { EVENTS_OPTIONS, eventsCommand } from './events.js';
import { CP_OPTIONS, copyCommand } from './copy.js';
import { STACK_OPTIONS, stackCommand } from './stack.js';
import { GLOBAL_OPTIONS, jsonDiagnostics, warn, type CommandContext } from './global-options.js';
import { errorEvents, exitCodeFor, formatError } from './report.js';
import { VERSION_OPTIONS, versionCommand } from './version.js';
import { applyColorMode, statusStream, withEnvironmentDefaults } from './environment.js';
import { keepingColorLevel } from './colors.js';

/** Commands that never reach the engine. */
const ENGINE_FREE = new Set(['config', 'graph']);

interface Command {
  summary: string;
  usage: string;
  options: OptionSpec[];
  /** Changes the engine's state: the global --dry-run needs the command's own dry run (its `dry-run` option) then. */
  changesState?: boolean;
  /** Options end after this many positionals: the rest is a command line of its own (exec SERVICE CMD...). */
  stopAfterPositionals?: number;
  run(context: CommandContext): number | Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  config: {
    summary: 'Validate the compose files and print the normalized model',
    usage: 'tscompose [OPTIONS] config [--format yaml|json] [--services|--networks|--volumes|--profiles] [-q]',
    options: CONFIG_OPTIONS,
    run: configCommand,
  },
  plan: {
    summary: 'Show what up would do: networks, containers, ports and the Engine API calls',
    usage: 'tscompose [OPTIONS] plan [--format table|json] [SERVICE...] | plan --down [-v] [--rmi local|all] [--remove-orphans]',
    options: [
      ...PLAN_OPTIONS,
      { name: 'down', description: 'Plan down instead: what it would stop and remove' },
      ...DOWN_OPTIONS.filter((option) => option.name === 'volumes' || option.name === 'rmi'),
    ],
    run: planCommand,
  },
  graph: {
    summary: 'Draw the topology: networks, containers, aliases, published ports (Mermaid or DOT); --stack: as a swarm stack',
    usage: 'tscompose [OPTIONS] graph [--format mermaid|dot] [--stack NAME] [SERVICE...]',
    options: GRAPH_OPTIONS,
    run: graphCommand,
  },
  up: {
    summary: 'Create and start the project (--dry-run: print the plan instead)',
    usage: 'tscompose [OPTIONS] up [-d] [--wait [--wait-timeout S]] [--print-env] [--pull POLICY] [--quiet-pull] [--build|--no-build] [--dry-run] [--abort-on-container-exit|--exit-code-from SERVICE] [--attach SERVICE]... [--no-attach SERVICE]... [SERVICE...]',
    options: UP_OPTIONS,
    changesState: true,
    run: upCommand,
  },
  pull: {
    summary: "Pull the services' images (with the Docker client's registry credentials)",
    usage: 'tscompose [OPTIONS] pull [-q] [--ignore-pull-failures] [SERVICE...]',
    options: PULL_OPTIONS,
    changesState: true,
    run: pullCommand,
  },
  build: {
    summary: "Build the images of services with a build: section",
    usage: 'tscompose [OPTIONS] build [--no-cache] [--pull] [-q] [SERVICE...]',
    options: BUILD_OPTIONS,
    changesState: true,
    run: buildCommand,
  },
  ps: {
    summary: "List the project's containers",
    usage: 'tscompose [OPTIONS] ps [--format table|json|TEMPLATE] [-a] [-q] [--services] [--status STATE] [--filter status=STATE] [--no-trunc] [SERVICE...]',
    options: PS_OPTIONS,
    run: psCommand,
  },
  env: {
    summary: 'Print where each published port is reachable from this machine, as link variables (DB_PORT_5432_TCP=…)',
    usage: 'tscompose [OPTIONS] env [--format dotenv|github|json] [SERVICE...]',
    options: ENV_OPTIONS,
    run: envCommand,
  },
  port: {
    summary: 'Print the host address where a container port is published',
    usage: 'tscompose [OPTIONS] port [--index N] [--protocol tcp|udp|sctp] SERVICE PRIVATE_PORT[/PROTO]',
    options: PORT_OPTIONS,
    run: portCommand,
  },
  logs: {
    summary: "Show the containers' output",
    usage: 'tscompose [OPTIONS] logs [-f] [-n|--tail N|all] [-t] [--since TIME] [--until TIME] [--no-log-prefix] [--no-color] [--index N] [SERVICE...]',
    options: LOGS_OPTIONS,
    run: logsCommand,
  },
  version: {
    summary: 'Show the version',
    usage: 'tscompose [OPTIONS] version [--short] [--format pretty|json]',
    options: VERSION_OPTIONS,
    run: versionCommand,
  },
  exec: {
    summary: "Run a command in a service's running container (its exit code is tscompose's)",
    usage: 'tscompose [OPTIONS] exec [-d] [-T] [-e KEY=VALUE] [-u USER] [-w DIR] [--index N] [--privileged] SERVICE COMMAND [ARGS...]',
    options: EXEC_OPTIONS,
    changesState: true,
    stopAfterPositionals: 1,
    run: execCommand,
  },
  run: {
    summary: 'Run a one-off container of a service, its dependencies started first (its exit code is tscompose\'s)',
    usage: 'tscompose [OPTIONS] run [--rm] [-d] [--name NAME] [-e KEY=VALUE] [-v SRC:DST] [-p PORTS] [--service-ports] [--use-aliases] [--no-deps] [--entrypoint CMD] [-u USER] [-w DIR] [-T] [--build] [--pull POLICY] [--dry-run] SERVICE [COMMAND [ARGS...]]',
    options: RUN_OPTIONS,
    changesState: true,
    stopAfterPositionals: 1,
    run: runCommand,
  },
  top: {
    summary: "Show the processes running in the project's containers",
    usage: 'tscompose [OPTIONS] top [SERVICE...]',
    options: TOP_OPTIONS,
    run: topCommand,
  },
  images: {
    summary: "List the images the project's containers were created from",
    usage: 'tscompose [OPTIONS] images [--format table|json] [-q] [SERVICE...]',
    options: IMAGES_OPTIONS,
    run: imagesCommand,
  },
  wait: {
    summary: "Wait until the first of the services' containers stops; exit with its code",
    usage: 'tscompose [OPTIONS] wait [--down-project] SERVICE...',
    options: WAIT_OPTIONS,
    changesState: true,
    run: waitCommand,
  },
  events: {
    summary: "Print the project's container events as they happen",
    usage: 'tscompose [OPTIONS] events [--json] [SERVICE...]',
    options: EVENTS_OPTIONS,
    changesState: true,
    run: eventsCommand,
  },
  ls: {
    summary: 'List the compose projects on the engine (those of docker compose too), with their status and compose files (--stale: those whose owner process is gone)',
    usage: 'tscompose [OPTIONS] ls [-a] [-q] [--stale] [--format table|json] [--filter name=TEXT]',
    options: LS_OPTIONS,
    run: lsCommand,
  },
  cp: {
    summary: "Copy files between a service's container and this machine",
    usage: 'tscompose [OPTIONS] cp [--index N] SERVICE:SRC_PATH DEST_PATH | SRC_PATH SERVICE:DEST_PATH',
    options: CP_OPTIONS,
    changesState: true,
    run: copyCommand,
  },
  create: {
    summary: "Create the project's networks, volumes and containers without starting them (up --no-start)",
    usage: 'tscompose [OPTIONS] create [--pull POLICY] [--build|--no-build] [--force-recreate|--no-recreate] [--remove-orphans] [--dry-run] [SERVICE...]',
    options: CREATE_OPTIONS,
    changesState: true,
    run: createCommand,
  },
  start: {
    summary: "Start the project's stopped containers, in dependency order",
    usage: 'tscompose [OPTIONS] start [--dry-run] [SERVICE...]',
    options: LIFECYCLE_OPTIONS.start,
    changesState: true,
    run: lifecycleCommand('start'),
  },
  stop: {
    summary: "Stop the project's running containers, dependents first (stop_signal, then SIGKILL after stop_grace_period or -t)",
    usage: 'tscompose [OPTIONS] stop [-t SECONDS] [--dry-run] [SERVICE...]',
    options: LIFECYCLE_OPTIONS.stop,
    changesState: true,
    run: lifecycleCommand('stop'),
  },
  restart: {
    summary: "Restart the project's containers in dependency order, keeping them",
    usage: 'tscompose [OPTIONS] restart [-t SECONDS] [--no-deps] [--dry-run] [SERVICE...]',
    options: LIFECYCLE_OPTIONS.restart,
    changesState: true,
    run: lifecycleCommand('restart'),
  },
  kill: {
    summary: "Send a signal (default SIGKILL) to the project's running containers",
    usage: 'tscompose [OPTIONS] kill [-s SIGNAL] [--dry-run] [SERVICE...]',
    options: LIFECYCLE_OPTIONS.kill,
    changesState: true,
    run: lifecycleCommand('kill'),
  },
  pause: {
    summary: "Pause the project's running containers",
    usage: 'tscompose [OPTIONS] pause [--dry-run] [SERVICE...]',
    options: LIFECYCLE_OPTIONS.pause,
    changesState: true,
    run: lifecycleCommand('pause'),
  },
  unpause: {
    summary: "Unpause the project's paused containers",
    usage: 'tscompose [OPTIONS] unpause [--dry-run] [SERVICE...]',
    options: LIFECYCLE_OPTIONS.unpause,
    changesState: true,
    run: lifecycleCommand('unpause'),
  },
  rm: {
    summary: "Remove the project's stopped containers (-s: stop running ones first)",
    usage: 'tscompose [OPTIONS] rm [-f] [-s] [-v] [--dry-run] [SERVICE...]',
    options: LIFECYCLE_OPTIONS.rm,
    changesState: true,
    run: lifecycleCommand('rm'),
  },
  stack: {
    summary: 'The compose file as a swarm stack: deploy (planned like up, --dry-run), ls, ps, services, rm, config',
    usage: 'tscompose [OPTIONS] stack deploy [-c FILE]... [--prune] [--resolve-image always|changed|never] [--with-registry-auth] [--detach=false [--wait-timeout S]] [--dry-run [--format table|json]] STACK\n       tscompose stack ls | ps [--no-trunc] [--filter K=V] STACK | services [--format json] STACK | rm [--dry-run] STACK... | config [-c FILE]... [STACK]',
    options: STACK_OPTIONS,
    changesState: true,
    run: stackCommand,
  },
  down: {
    summary: "Stop and remove the project's containers and networks (--stale: every stack whose owner process is gone)",
    usage: 'tscompose [OPTIONS] down [-v] [--rmi local|all] [--remove-orphans] [-t SECONDS] [--dry-run [--format table|json]] | down --stale',
    options: DOWN_OPTIONS,
    changesState: true,
    run: downCommand,
  },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  return [
    'Usage: tscompose [OPTIONS] COMMAND [ARGS]',
    '',
    'Run a Compose project, and know exactly what it does to your networks and ports.',
    '',
    'Options:',
    formatOptions(GLOBAL_OPTIONS),
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}${command.summary}`),
    '',
    "Run 'tscompose COMMAND --help' for a command's options.",
    '',
  ].join('\n');
}

function commandHelp(name: string, command: Command): string {
  return [`Usage: ${command.usage}`, '', command.summary, '', 'Options:', formatOptions(command.options), '', 'Global options:', formatOptions(GLOBAL_OPTIONS), ''].join('\n');
}

/** Global options that may also follow the command: all but -v/--version, so that `up -v` is an unknown option as with compose. */
const GLOBAL_OPTIONS_AFTER_COMMAND = GLOBAL_OPTIONS.filter((spec) => spec.name !== 'version');

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  // In-process callers (tests, the library's users) keep their own color setting.
  return keepingColorLevel(() => runMain(argv, stdout, stderr));
}

async function runMain(argv: readonly string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  let verbose = argv.includes('--verbose');
  // Set from the parsed options; until then (a usage error in them), from the words themselves.
  let json = argv.some((word, index) => word === '--progress=json' || (word === '--progress' && argv[index + 1] === 'json'));
  try {
    const global = parseArgs(argv, GLOBAL_OPTIONS, { stopAtPositional: true });
    verbose = Boolean(global.options.verbose);
    if (global.options.version) {
      stdout.write(`tscompose version ${VERSION}\n`);
      return 0;
    }
    const [name, ...rest] = global.rest;
    if (name === undefined || name === 'help') {
      const topic = name === 'help' ? rest[0] : undefined;
      stdout.write(topic && COMMANDS[topic] ? commandHelp(topic, COMMANDS[topic]) : mainHelp());
      return global.options.help || name === 'help' ? 0 : 2;
    }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${name}"`, { hint: `commands: ${Object.keys(COMMANDS).join(', ')}` });
    // The command's own options come last so that they win a shared letter (logs -f is --follow, down -v is --volumes).
    const local = parseArgs(rest, [...GLOBAL_OPTIONS_AFTER_COMMAND, ...command.options], { stopAfterPositionals: command.stopAfterPositionals });
    if (local.options.help || global.options.help) {
      stdout.write(commandHelp(name, command));
      return 0;
    }
    // Global options may also follow the command, as with docker compose.
    let merged = { ...global.options };
    for (const spec of GLOBAL_OPTIONS_AFTER_COMMAND) {
      const value = local.options[spec.name];
      if (value === undefined) continue;
      merged[spec.name] = spec.repeat ? [...((merged[spec.name] as string[] | undefined) ?? []), ...(value as string[])] : value;
    }
    verbose ||= Boolean(merged.verbose);
    merged = withEnvironmentDefaults(merged, process.env);
    json = jsonDiagnostics(merged);
    applyColorMode(merged, process.env);
    // Before anything is sent: whoever reaches a plain tcp:// engine elsewhere is root on its host.
    const exposed = ENGINE_FREE.has(name) ? undefined : exposedEngineWarningFor(process.env);
    if (exposed) warn({ global: merged, stderr }, { message: exposed });
    const options = { ...local.options };
    if (merged['dry-run']) {
      // The global --dry-run is the command's own; a command that only reads has nothing to leave out.
      if (command.options.some((spec) => spec.name === 'dry-run')) options['dry-run'] = true;
      else if (command.changesState) throw new UsageError(`${name} has no dry run`, { hint: name === 'pull' || name === 'build' ? 'tscompose plan lists the images up would pull and build' : 'leave out --dry-run' });
    }
    return await command.run({ global: merged, options, positionals: [...local.positionals, ...local.rest], stdout, stderr, status: statusStream(process.env, stdout, stderr) });
  } catch (error) {
    // With --progress json the error is JSON too, so that the whole of stderr parses line by line.
    stderr.write(json ? errorEvents(error).map((event) => JSON.stringify(event) + '\n').join('') : formatError(error, verbose) + '\n');
    return exitCodeFor(error);
  }
}
