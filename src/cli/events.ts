import { events, type ProjectEvent } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext } from './global-options.js';

export const EVENTS_OPTIONS: OptionSpec[] = [{ name: 'json', description: 'One JSON object per line, as docker compose events --json prints them' }];

/** `events [SERVICE...]`: the project's container events until Ctrl-C or SIGTERM. */
export async function eventsCommand({ global, options, positionals, stdout }: CommandContext): Promise<number> {
  const stop = new AbortController();
  const end = () => stop.abort();
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
  const print = (event: ProjectEvent) => {
    if (options.json) return void stdout.write(JSON.stringify(event) + '\n');
    const attributes = Object.entries(event.attributes).filter(([key]) => !key.startsWith('com.docker.compose.')).map(([key, value]) => `${key}=${value}`);
    stdout.write(`${event.time} container ${event.action} ${event.id} (${attributes.join(', ')})\n`);
  };
  try {
    await events({ ...loadOptionsFrom(global), services: positionals, signal: stop.signal, onProjectEvent: print });
    return 0;
  } finally {
    process.off('SIGINT', end);
    process.off('SIGTERM', end);
  }
}
