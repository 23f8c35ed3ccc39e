import type { ChalkInstance } from 'chalk';
import type { ProgressEvent } from './events.js';

/** Set by the build, as src/lazy-package.ts reads it: this room imports nothing of ours. */
declare const TSCOMPOSE_PACKAGE_BUNDLES: boolean | undefined;

export type ProgressMode = 'auto' | 'tty' | 'plain' | 'json' | 'quiet';

export interface ProgressRenderer {
  event(event: ProgressEvent): void;
  /** Ends the display (stops spinners); no event comes after. */
  close(): void;
}

/** `network:demo_default` → `Network demo_default`. */
function label(resource: string): string {
  const [kind = '', name = ''] = resource.split(/:(.*)/s);
  return `${kind.charAt(0).toUpperCase()}${kind.slice(1)} ${name}`;
}

/** One plain line per event: not a terminal, or --progress plain. */
class PlainRenderer implements ProgressRenderer {
  constructor(private readonly out: NodeJS.WritableStream) {}
  event(event: ProgressEvent): void {
    if (event.transient) return;
    if (event.status === 'info') this.out.write(`${event.text}\n`);
    else this.out.write(`${label(event.resource)}  ${event.text}${event.error ? `: ${event.error}` : ''}\n`);
  }
  close(): void {}
}

/** One JSON object per line, with the fields of ProgressEvent (documented in the README). */
class JsonRenderer implements ProgressRenderer {
  constructor(private readonly out: NodeJS.WritableStream) {}
  event(event: ProgressEvent): void {
    this.out.write(JSON.stringify(event) + '\n');
  }
  close(): void {}
}

/** Nothing but errors. */
class QuietRenderer implements ProgressRenderer {
  constructor(private readonly out: NodeJS.WritableStream) {}
  event(event: ProgressEvent): void {
    if (event.status === 'error') this.out.write(`${label(event.resource)}  ${event.error}\n`);
  }
  close(): void {}
}

/** A spinner naming the steps in flight, and a final line per finished step, as compose shows them. */
class TerminalRenderer implements ProgressRenderer {
  private readonly working = new Map<string, string>();
  private spinner?: import('ora').Ora;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly createSpinner: () => import('ora').Ora,
    private readonly chalk: ChalkInstance,
  ) {}

  event(event: ProgressEvent): void {
    const key = `${event.resource}|${event.kind}`;
    if (event.status === 'working') {
      this.working.set(key, `${label(event.resource)}  ${event.text}`);
    } else {
      this.working.delete(key);
      // ora redraws the spinner under anything written while it spins: stop it first when nothing is left in flight.
      if (this.working.size === 0) this.refresh();
      const line =
        event.status === 'error'
          ? `${this.chalk.red('✘')} ${label(event.resource)}  ${this.chalk.red(event.error ?? 'Error')}`
          : event.status === 'info'
            ? `${this.chalk.cyan('ℹ')} ${event.text}`
            : `${this.chalk.green('✔')} ${label(event.resource)}  ${this.chalk.green(event.text)}${event.seconds !== undefined ? this.chalk.dim(` ${event.seconds.toFixed(1)}s`) : ''}`;
      this.out.write(line + '\n');
    }
    this.refresh();
  }

  /** One line per step in flight (a pull's layers fold into its image's line), at most this many. */
  private static readonly MAX_LINES = 8;

  private refresh(): void {
    const lines = [...this.working.values()];
    const more = lines.length - TerminalRenderer.MAX_LINES;
    const text = lines.slice(0, TerminalRenderer.MAX_LINES).join('\n  ') + (more > 0 ? `\n  ${this.chalk.dim(`+${more} more`)}` : '');
    if (this.working.size === 0) {
      this.spinner?.stop();
      this.spinner = undefined;
      return;
    }
    if (this.spinner) this.spinner.text = text;
    else this.spinner = this.createSpinner().start(text);
  }

  close(): void {
    this.spinner?.stop();
  }
}

/**
 * The renderer for a mode; `auto` is the spinner display on a terminal (outside CI) and plain
 * lines elsewhere. ora is loaded only when a spinner is shown.
 */
export async function createRenderer(mode: ProgressMode, out: NodeJS.WritableStream & { isTTY?: boolean }): Promise<ProgressRenderer> {
  const resolved = mode === 'auto' ? (out.isTTY && !process.env.CI ? 'tty' : 'plain') : mode;
  switch (resolved) {
    case 'json':
      return new JsonRenderer(out);
    case 'quiet':
      return new QuietRenderer(out);
    case 'plain':
      return new PlainRenderer(out);
    case 'tty': {
      // A terminal that reports no width (a pty never sized: `script`, some CI runners) makes
      // ora count the lines to clear as infinite; plain lines are the only safe display there.
      if (!((out as { columns?: number }).columns! > 0)) return new PlainRenderer(out);
      // Built, ora is a bundle of its own (dist/ora.cjs): in the CLI's bundle every command read and deserialized it.
      const { default: ora } = typeof TSCOMPOSE_PACKAGE_BUNDLES === 'boolean' ? (require('./ora.cjs') as typeof import('ora')) : await import('ora');
      // chalk too is initialized here, not at start: the bundle holds it (the CLI's colors, at the level the CLI set).
      const { default: chalk } = typeof TSCOMPOSE_PACKAGE_BUNDLES === 'boolean' ? (require('chalk') as typeof import('chalk')) : await import('chalk');
      return new TerminalRenderer(out, () => ora({ stream: out as NodeJS.WritableStream & { isTTY: boolean } as never, discardStdin: false }), chalk);
    }
  }
}
