import { containerExitCode, logsOf, message, stop, type UpResult } from '../usecases/index.js';
import type { CommandContext } from './global-options.js';
import type { InterruptQueue } from './interrupts.js';
import { printContainerLogs, type LogLook } from './logs.js';
import { progressRenderer } from './progress-option.js';

/** How `up` follows its containers: compose's options for it. */
export interface AttachOptions {
  look: LogLook & { timestamps: boolean };
  /** --abort-on-container-exit (`exit`) or --abort-on-container-failure (`failure`): the first such exit stops every container. */
  abort?: 'exit' | 'failure';
  /** --exit-code-from: `up` exits with this service's exit code. */
  exitCodeFrom?: string;
  /** --attach: only these services' containers are followed; all when absent. */
  attach?: string[];
  /** --no-attach: these services' containers are not followed. */
  noAttach?: string[];
  /** -t: the grace period of the stops. */
  timeout?: number;
}

/**
 * `up` without -d, as compose does it: follow the containers' output, with a
 * `<container> exited with code N` line as each one stops, until they all have. Ctrl-C or SIGTERM
 * stops them (in reverse dependency order, each with its grace period) and leaves them in place;
 * a second one stops them at once. A clean stop exits 0, as compose's does; with an abort option,
 * the first (failing) exit stops them all and its code, or --exit-code-from's, is the exit code.
 */
export async function attachLogs(result: UpResult, context: CommandContext, interrupts: InterruptQueue, options: AttachOptions): Promise<number> {
  const { connection, plan } = result;
  const services = new Map(plan.containers.map((container) => [container.name, container.service]));
  const containers = attachedContainers(plan.containers, options).map((container) => ({ id: container.name, name: container.name, service: container.service, number: container.number }));
  const stops: Promise<void>[] = [];
  interrupts.handle((count) => {
    const note = count === 1 ? say(context, 'Gracefully stopping... (press Ctrl+C again to force)') : Promise.resolve();
    stops.push(note.then(() => stopContainers(result, context, count === 1 ? options.timeout : 0)));
  });
  let exitCode = 0;
  let aborting = false;
  let captured = false;
  const { look } = options;
  const logs = await logsOf(connection, result.project.name, containers, { follow: true, tail: 'all', timestamps: look.timestamps });
  await printContainerLogs(logs, context.stdout, look, {
    onEnd: async (container) => {
      const code = await containerExitCode(connection, container);
      if (code === undefined) return undefined;
      if (options.abort && !aborting && (options.abort === 'exit' || code !== 0)) {
        aborting = true;
        exitCode = code;
        stops.push(say(context, 'Aborting on container exit...').then(() => stopContainers(result, context, options.timeout)));
      }
      if (options.exitCodeFrom && !captured && services.get(container) === options.exitCodeFrom) {
        captured = true;
        exitCode = code;
      }
      return `exited with code ${code}`;
    },
  });
  while (stops.length > 0) await stops.shift();
  return exitCode;
}

/**
 * The containers whose output `up` follows, as compose picks them: those of --attach's services
 * (all when it is not given) but --no-attach's. Only these are printed and waited for: the others
 * run on, as compose's up leaves them.
 */
export function attachedContainers<T extends { service: string }>(containers: readonly T[], { attach, noAttach }: Pick<AttachOptions, 'attach' | 'noAttach'>): T[] {
  return containers.filter((container) => (attach === undefined || attach.includes(container.service)) && !noAttach?.includes(container.service));
}

/** A status line, through the progress display: a `Message` event with --progress json, so that stderr stays JSON. */
async function say({ global, status }: CommandContext, text: string): Promise<void> {
  const renderer = await progressRenderer(global, status);
  renderer.event(message(text));
  renderer.close();
}

/** Stops the containers `up` started, each after those depending on it; `timeout` 0 is the forced stop. */
async function stopContainers({ connection, plan, project }: UpResult, { global, status }: CommandContext, timeout: number | undefined): Promise<void> {
  const services = [...new Set(plan.containers.map((container) => container.service))];
  if (services.length === 0) return; // no services would mean the whole project
  const renderer = await progressRenderer(global, status);
  try {
    // The lifecycle `stop` plan (as `stop --dry-run` prints it) of the services up brought up, not the whole project.
    await stop({ project, connection, services, ...(timeout === undefined ? {} : { timeout }), onProgress: (event) => renderer.event(event) });
  } finally {
    renderer.close();
  }
}
