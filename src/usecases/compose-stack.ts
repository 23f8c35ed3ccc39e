import { connectEngine, type EngineConnection } from '../engine/client.js';
import { execInContainer, type ExecOptions, type ExecResult } from '../engine/container-exec.js';
import { lastLogLines } from '../engine/container-state.js';
import type { ProjectContainer } from '../engine/project-containers.js';
import { TscomposeError } from '../errors.js';
import { down } from './down.js';
import { restart, start, stop } from './lifecycle.js';
import { run, type RunOptions } from './run.js';
import type { Endpoint } from './endpoints.js';
import { env } from './env.js';
import { requireServices } from './target.js';
import { ps } from './ps.js';
import { up } from './up.js';
import { load, type ComposeProject, type LoadOptions } from '../loader/index.js';
import type { PullOverride } from '../planner/index.js';
import type { ProgressEvent } from '../progress/events.js';
import { checkCommand, checkOptions, checkServiceName, checkSignal } from '../arguments.js';
import { takeDownOnExit } from './exit-cleanup.js';
import { ownerLabels, withOwnerLabels } from './owner.js';
import { isWaitStrategy } from './wait-strategies.js';
import { DEFAULT_WAIT_TIMEOUT, waitForContainer, type WaitStrategy } from './wait-for-container.js';

export interface ComposeOptions extends LoadOptions {
  /**
   * A project name of its own for this stack (`<name>-<8 hex digits>`), and owner labels (pid,
   * start time, boot id, host) on everything it creates, so that stacks of parallel test files
   * or CI jobs never meet, and `tscompose down --stale` finds one whose process died.
   */
  isolate?: boolean;
  /** Only these services (with their dependencies). */
  services?: string[];
  /** Seconds the containers have to get ready: healthchecks and every wait without its own timeout. Default 60. */
  startupTimeout?: number;
  /** Seconds a container gets to stop on down before it is killed. Default 0: a test stack's state is thrown away. */
  stopTimeout?: number;
  /** As `up --pull`. */
  pull?: PullOverride;
  /** As `up --build`. */
  build?: boolean;
  /** An engine connection to reuse; otherwise DOCKER_HOST or the default socket. */
  connection?: EngineConnection;
  onProgress?: (event: ProgressEvent) => void;
}

export interface UpStackOptions {
  /** Aborting stops the start and the waits; what was created is taken down. */
  signal?: AbortSignal;
}

/** Where the host reaches one published port. */
export interface StackEndpoint {
  host: string;
  port: number;
  /** `host:port` (an IPv6 host in brackets). */
  address: string;
  /** `http://host:port`. */
  url: string;
}

export interface ServiceSelector {
  /** The replica, from 1 (default 1). */
  index?: number;
}

export interface StackExecOptions extends ExecOptions, ServiceSelector {}

export interface StackRunOptions extends Pick<RunOptions, 'env' | 'user' | 'workdir' | 'signal' | 'onEvent' | 'onProgress' | 'concurrency'> {
  /** Throw a CommandFailedError when the command exits with another code than 0 (default true). */
  check?: boolean;
}

/** A one-off command (`stack.run`) exited with another code than 0; its output is kept. */
export class CommandFailedError extends TscomposeError {
  constructor(
    readonly service: string,
    readonly command: readonly string[],
    readonly result: ExecResult,
  ) {
    const last = (result.stderr.trim() || result.stdout.trim()).split('\n').at(-1);
    super(`"${command.join(' ')}" in a one-off container of service "${service}" exited with code ${result.exitCode}${last ? `: ${last}` : ''}`, {
      hint: 'its stdout and stderr are in error.result; pass check: false to get them without an error',
    });
  }
}

export interface StackLifecycleOptions {
  /** stop and restart: seconds before the container is killed; default its stop_grace_period, as `compose stop`. */
  timeout?: number;
  /** Stops the call: no new Engine API call starts; the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface StackLogOptions extends ServiceSelector {
  /** Only the last N lines. */
  tail?: number;
}

/**
 * Describes a stack to bring up: `compose({ workingDir: 'test/stack', isolate: true })`,
 * then `.withWait(service, strategy)` for each service that needs more than its healthcheck,
 * then `.up()`.
 */
export function compose(options: ComposeOptions = {}): StackBuilder {
  checkOptions(options, 'compose');
  return new StackBuilder(options);
}

export class StackBuilder {
  private readonly waits: [service: string, strategy: WaitStrategy][] = [];

  /** @internal */
  constructor(private readonly options: ComposeOptions) {}

  /** Also wait until the strategy finds each of the service's containers ready (`wait.log(...)`, `wait.http(...)`, ...). */
  withWait(service: string, strategy: WaitStrategy): this {
    checkServiceName(service, 'withWait');
    if (!isWaitStrategy(strategy)) throw new TypeError(`withWait("${service}", strategy): the strategy is one of wait.healthy(), wait.port(), wait.log(), wait.http(), wait.command(), wait.all(), wait.any()`);
    this.waits.push([service, strategy]);
    return this;
  }

  /**
   * Brings the stack up and waits until it is ready: every container running, healthy where it
   * has a healthcheck, and ready by the strategies given. When it cannot get ready, the error (a
   * `WaitError` with a report on each container) comes after the stack is taken down again.
   */
  async up(upOptions: UpStackOptions = {}): Promise<Stack> {
    checkOptions(upOptions, 'up');
    checkSignal(upOptions.signal, 'up');
    const { options } = this;
    let project = load(uniqueName(options)).project;
    requireServices(project, [...(options.services ?? []), ...this.waits.map(([service]) => service)]);
    if (options.isolate) project = withOwnerLabels(refuseFixedNames(project), ownerLabels());
    const connection = options.connection ?? (await connectEngine());
    const stack = new Stack(project, connection, options.stopTimeout ?? 0);
    try {
      const startupTimeout = options.startupTimeout ?? DEFAULT_WAIT_TIMEOUT;
      await up({ project, connection, services: options.services, pull: options.pull, build: options.build, onProgress: options.onProgress, wait: true, waitTimeout: startupTimeout, signal: upOptions.signal });
      await stack.refresh();
      await Promise.all(
        this.waits.flatMap(([service, strategy]) =>
          stack.containersOf(service).map((container) =>
            waitForContainer({ connection, service, container: container.name, endpoints: stack.endpointsOf(container.name) }, strategy, { timeout: startupTimeout, signal: upOptions.signal }),
          ),
        ),
      );
    } catch (error) {
      await stack.down().catch(() => undefined);
      throw error;
    }
    return stack;
  }
}

/** A fixed container name would make every isolated stack of the file take the same one. */
function refuseFixedNames(project: ComposeProject): ComposeProject {
  const named = Object.values(project.services).find((service) => service.container_name !== undefined);
  if (named) {
    throw new TscomposeError(`service "${named.name}" sets container_name: ${named.container_name}, which every isolated stack of this file would take`, {
      hint: 'leave container_name out (the name is then <project>-<service>-1), or bring the stack up without isolate',
    });
  }
  return project;
}

/** With `isolate`, the options with a project name no other stack has. */
function uniqueName(options: ComposeOptions): LoadOptions {
  if (!options.isolate) return options;
  const base = options.projectName ?? load(options).project.name;
  return { ...options, projectName: `${base}-${process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex')}` };
}

/**
 * A running stack: where its services are reached, commands in its containers, their logs.
 * `await using stack = await compose(...).up()` takes it down at the end of the block; so does
 * `stack.down()`, and the end of the process, whatever ends it.
 */
export class Stack implements AsyncDisposable {
  private containers: ProjectContainer[] = [];
  private endpoints: Endpoint[] = [];
  private readonly exitHook;
  private downing?: Promise<void>;

  /** @internal */
  constructor(
    /** The project as loaded (with its owner labels when isolated). */
    readonly project: ComposeProject,
    private readonly connection: EngineConnection,
    private readonly stopTimeout: number,
  ) {
    this.exitHook = takeDownOnExit(project.name);
  }

  /** The project name: unique with `isolate`. */
  get name(): string {
    return this.project.name;
  }

  /** Where the host reaches a service's published container port (random host ports resolved). */
  endpoint(service: string, port: number, options: ServiceSelector & { protocol?: 'tcp' | 'udp' | 'sctp' } = {}): StackEndpoint {
    const container = this.container(service, options, 'endpoint');
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TypeError(`endpoint("${service}", port): the port is a number from 1 to 65535, not ${String(port)}`);
    const protocol = options.protocol ?? 'tcp';
    const found = this.endpointsOf(container.name).find((endpoint) => endpoint.containerPort === port && endpoint.protocol === protocol);
    if (!found) {
      const published = this.endpointsOf(container.name).map((endpoint) => `${endpoint.containerPort}/${endpoint.protocol}`);
      throw new TscomposeError(`service "${service}" publishes no port ${port}/${protocol}`, { hint: published.length > 0 ? `it publishes ${published.join(', ')}` : 'add it to the service\'s ports: ("127.0.0.1::' + port + '" for a random host port)' });
    }
    return { host: found.host, port: found.hostPort, address: found.address, url: `http://${found.address}` };
  }

  /** Runs a command in a service's running container: its exit code, stdout and stderr (not checked). */
  exec(service: string, command: readonly string[], options: StackExecOptions = {}): Promise<ExecResult> {
    checkCommand(command, 'exec(service, command)');
    checkSignal(options.signal, 'exec');
    const { index: _index, ...execOptions } = options;
    return execInContainer(this.connection, this.container(service, options, 'exec').name, command, execOptions);
  }

  /**
   * Runs a command in a one-off container of the service (`compose run --rm --no-deps`: the
   * service's configuration, no published ports, no network aliases), to its end, then removes
   * it, also when `signal` aborts it. Throws a CommandFailedError when it exits with another code
   * than 0, unless `check: false`.
   */
  async run(service: string, command: readonly string[], options: StackRunOptions = {}): Promise<ExecResult> {
    checkServiceName(service, 'run');
    checkCommand(command, 'run(service, command)');
    checkOptions(options, 'run');
    checkSignal(options.signal, 'run');
    const { check = true, env, user, workdir, signal, onEvent, onProgress, concurrency } = options;
    const { exitCode, stdout, stderr } = await run({ project: this.project, connection: this.connection, service, command, remove: true, noDeps: true, env, user, workdir, signal, onEvent, onProgress, concurrency });
    const result = { exitCode, stdout, stderr };
    if (check && exitCode !== 0) throw new CommandFailedError(service, command, result);
    return result;
  }

  /**
   * Restarts the service's containers (keeping them), and those depending on it, as
   * `compose restart <service>`; then reads their published ports again, which a random host
   * port may have changed. It does not wait for them to get ready again.
   */
  async restart(service: string, options: StackLifecycleOptions = {}): Promise<void> {
    await this.lifecycle(restart, service, options, 'restart');
  }

  /** Stops the service's containers, as `compose stop <service>` (those depending on it run on). */
  async stop(service: string, options: StackLifecycleOptions = {}): Promise<void> {
    await this.lifecycle(stop, service, options, 'stop');
  }

  /**
   * Starts the service's stopped containers, as `compose start <service>`; then reads their
   * published ports again (a random host port is taken anew). It does not wait for them to get ready.
   */
  async start(service: string, options: StackLifecycleOptions = {}): Promise<void> {
    await this.lifecycle(start, service, options, 'start');
  }

  /** A service container's output so far, stdout and stderr as they came, one line each. */
  async logs(service: string, options: StackLogOptions = {}): Promise<string> {
    const container = this.container(service, options, 'logs');
    const lines = await lastLogLines(this.connection, container.name, options.tail ?? 'all');
    return lines.map((line) => `${line}\n`).join('');
  }

  /** Takes the stack down: containers (killed after `stopTimeout`), networks, volumes, anonymous ones too. Once; later calls wait for the first. */
  down(): Promise<void> {
    this.downing ??= (async () => {
      try {
        await down({ project: this.project, connection: this.connection, removeVolumes: true, removeOrphans: true, timeout: this.stopTimeout });
      } finally {
        this.exitHook.release();
      }
    })();
    return this.downing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.down();
  }

  /** @internal Reads the containers and their published ports again (after a start, random host ports may change). */
  async refresh(): Promise<void> {
    this.containers = await ps({ project: this.project, connection: this.connection, all: true });
    const running = this.containers.some((container) => container.state === 'running');
    this.endpoints = running ? (await env({ project: this.project, connection: this.connection })).endpoints : [];
  }

  private async lifecycle(command: typeof restart, service: string, options: StackLifecycleOptions, method: string): Promise<void> {
    checkServiceName(service, method);
    checkOptions(options, method);
    checkSignal(options.signal, method);
    requireServices(this.project, [service]);
    try {
      await command({ project: this.project, connection: this.connection, services: [service], timeout: options.timeout, signal: options.signal });
    } catch (error) {
      // Also after a failure half-way the handle shows what runs now; the failure is what the caller needs to see.
      await this.refresh().catch(() => undefined);
      throw error;
    }
    await this.refresh();
  }

  /** @internal */
  containersOf(service: string): ProjectContainer[] {
    return this.containers.filter((container) => container.service === service);
  }

  /** @internal */
  endpointsOf(container: string): Endpoint[] {
    return this.endpoints.filter((endpoint) => endpoint.container === container);
  }

  private container(service: string, selector: ServiceSelector, method: string): ProjectContainer {
    checkServiceName(service, method);
    requireServices(this.project, [service]);
    const index = selector.index ?? 1;
    const container = this.containersOf(service).find((each) => each.number === index);
    if (!container) throw new TscomposeError(`service "${service}" has no container${index === 1 ? '' : ` number ${index}`} in stack ${this.name}`, { hint: 'it may be left out by services:, or have fewer replicas' });
    return container;
  }
}
