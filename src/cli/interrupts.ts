/** The signals that ask a foreground command to stop, as compose handles them: Ctrl-C, and what CI runners and `timeout` send. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Calls `handler` on each SIGINT or SIGTERM (with how many have come so far) instead of letting
 * Node end the process, until disposed.
 */
export function onInterrupt(handler: (count: number, signal: NodeJS.Signals) => void): { dispose(): void } {
  let count = 0;
  const listener = (signal: NodeJS.Signals) => handler(++count, signal);
  for (const signal of STOP_SIGNALS) process.on(signal, listener);
  return {
    dispose: () => {
      for (const signal of STOP_SIGNALS) process.removeListener(signal, listener);
    },
  };
}

/**
 * Interrupts counted from its making (before a foreground `up` starts anything), handed to a
 * handler once there is one: an interrupt that came while containers were starting is not lost.
 */
export class InterruptQueue {
  private count = 0;
  private handler?: (count: number) => void;
  private readonly subscription = onInterrupt((count) => {
    this.count = count;
    if (this.handler) this.handler(count);
    // Twice before there is anything to stop gracefully: the user wants out now, as with compose's second Ctrl-C.
    else if (count >= 2) process.exit(130);
  });

  /** Calls `handler` for each interrupt that came already, then for each one to come. */
  handle(handler: (count: number) => void): void {
    this.handler = handler;
    for (let count = 1; count <= this.count; count++) handler(count);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
