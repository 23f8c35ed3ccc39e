/**
 * The steps that led to what is being read now (files including files, services extending
 * services), so that a step that comes back is reported as a cycle naming every step,
 * instead of recursing until the stack overflows.
 */
export class Chain {
  static readonly EMPTY = new Chain([]);

  private constructor(private readonly steps: readonly string[]) {}

  /** The chain one step further, or the cycle (its steps, the repeated one at both ends) when the step is already in it. */
  enter(step: string): { chain: Chain; cycle?: undefined } | { chain?: undefined; cycle: string[] } {
    const start = this.steps.indexOf(step);
    if (start >= 0) return { cycle: [...this.steps.slice(start), step] };
    return { chain: new Chain([...this.steps, step]) };
  }
}
