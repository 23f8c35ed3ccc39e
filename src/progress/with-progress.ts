import type { ProgressEvent } from './events.js';

/** A run whose progress is read as an async iterator. */
export interface ProgressRun<T> {
  /** Every progress event, in order; ends when the run settles. Iterate it once. */
  events: AsyncIterable<ProgressEvent>;
  /** What the run returns, or its error (the same typed classes as without progress). */
  result: Promise<T>;
}

/**
 * Runs `start` with an `onProgress` callback and hands its events out as an async iterator:
 *
 *   const { events, result } = withProgress((onProgress) => up({ wait: true, onProgress }));
 *   for await (const event of events) console.log(event.resource, event.text);
 *   const { plan } = await result;
 *
 * Events are buffered until read. `result` may be awaited later than it fails: it is marked as
 * handled so that Node does not report an unhandled rejection while the events are read.
 */
export function withProgress<T>(start: (onProgress: (event: ProgressEvent) => void) => Promise<T>): ProgressRun<T> {
  const buffered: ProgressEvent[] = [];
  let wake: (() => void) | undefined;
  let settled = false;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const result = (async () => start((event) => {
    if (settled) return;
    buffered.push(event);
    notify();
  }))();
  const finish = () => {
    settled = true;
    notify();
  };
  result.then(finish, finish);
  async function* read(): AsyncGenerator<ProgressEvent> {
    for (;;) {
      while (buffered.length > 0) yield buffered.shift()!;
      if (settled) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  return { events: read(), result };
}
