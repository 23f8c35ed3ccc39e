import { exposedEngineWarningFor, UsageError, VERSION } from '../usecases/index.js';
import { formatOptions, parseArgs, type OptionSpec } from './args.js';
import { CONFIG_OPTIONS, configCommand } from './config.js';
import { DOWN_OPTIONS, downCommand } from './down.js';
import { GRAPH_OPTIONS, graphCommand, PLAN_OPTIONS, planCommand } from './plan.js';
import { UP_OPTIONS, upCommand } from './up.js';
import { BUILD_OPTIONS, buildCommand, PULL_OPTIONS, pullCommand } from './images.js';
import { LOGS_OPTIONS, logsCommand } from './logs.js';
import { PORT_OPTIONS, portCommand } from './port.js';
import { PS_OPTIONS, psCommand } from './ps.js';
import { ENV_OPTIONS, envCommand } from './env.js';
import { STACK_OPTIONS, stackCommand } from './stack.js';
import { GLOBAL_OPTIONS, jsonDiagnostics, warn, type CommandContext } from './global-options.js';
import { errorEvents, exitCodeFor, formatError } from './report.js';

/** Commands that never reach the engine. */
const ENGINE_FREE = new Set(['config', 'graph']);

interface Command {
  summary: string;
  usage: string;
  options: OptionSpec[];
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
    usage: 'tscompose [OPTIONS] up [-d] [--wait [--wait-timeout S]] [--print-env] [--pull POLICY] [--build|--no-build] [--dry-run] [SERVICE...]',
    options: UP_OPTIONS,
    run: upCommand,
  },
  pull: {
    summary: "Pull the services' images (with the Docker client's registry credentials)",
    usage: 'tscompose [OPTIONS] pull [-q] [--ignore-pull-failures] [SERVICE...]',
    options: PULL_OPTIONS,
    run: pullCommand,
  },
  build: {
    summary: "Build the images of services with a build: section",
    usage: 'tscompose [OPTIONS] build [--no-cache] [--pull] [-q] [SERVICE...]',
    options: BUILD_OPTIONS,
    run: buildCommand,
  },
  ps: {
    summary: "List the project's containers",
    usage: 'tscompose [OPTIONS] ps [--format table|json] [-a] [-q] [SERVICE...]',
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
    usage: 'tscompose [OPTIONS] logs [-f] [--tail N|all] [-t] [SERVICE...]',
    options: LOGS_OPTIONS,
    run: logsCommand,
  },
  stack: {
    summary: 'The compose file as a swarm stack: deploy (planned like up, --dry-run), ls, ps, services, rm, config',
    usage: 'tscompose [OPTIONS] stack deploy [-c FILE]... [--prune] [--resolve-image always|changed|never] [--with-registry-auth] [--detach=false [--wait-timeout S]] [--dry-run [--format table|json]] STACK\n       tscompose stack ls | ps [--no-trunc] [--filter K=V] STACK | services [--format json] STACK | rm [--dry-run] STACK... | config [-c FILE]... [STACK]',
    options: STACK_OPTIONS,
    run: stackCommand,
  },
  down: {
    summary: "Stop and remove the project's containers and networks",
    usage: 'tscompose [OPTIONS] down [-v] [--rmi local|all] [--remove-orphans] [-t SECONDS] [--dry-run [--format table|json]]',
    options: DOWN_OPTIONS,
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

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
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
    const local = parseArgs(rest, [...GLOBAL_OPTIONS, ...command.options]);
    if (local.options.help || global.options.help) {
      stdout.write(commandHelp(name, command));
      return 0;
    }
    // Global options may also follow the command, as with docker compose.
    const merged = { ...global.options };
    for (const spec of GLOBAL_OPTIONS) {
      const value = local.options[spec.name];
      if (value === undefined) continue;
      merged[spec.name] = spec.repeat ? [...((merged[spec.name] as string[] | undefined) ?? []), ...(value as string[])] : value;
    }
    verbose ||= Boolean(merged.verbose);
    json = jsonDiagnostics(merged);
    // Before anything is sent: whoever reaches a plain tcp:// engine elsewhere is root on its host.
    const exposed = ENGINE_FREE.has(name) ? undefined : exposedEngineWarningFor(process.env);
    if (exposed) warn({ global: merged, stderr }, { message: exposed });
    return await command.run({ global: merged, options: local.options, positionals: local.positionals, stdout, stderr });
  } catch (error) {
    // With --progress json the error is JSON too, so that the whole of stderr parses line by line.
    stderr.write(json ? errorEvents(error).map((event) => JSON.stringify(event) + '\n').join('') : formatError(error, verbose) + '\n');
    return exitCodeFor(error);
  }
}
