import { relative } from 'node:path';
import { ResolutionCycleError, type SourceLocation } from '../errors.js';

/** One step of a resolution: what is being resolved (`services.web`, a file) and where it was asked for. */
export interface ChainLink {
  /** Identifies the step: the same key twice on one chain is a cycle. */
  key: string;
  /** How the step is named to the user, e.g. `services.web` or `compose.yaml`. */
  label: string;
  /** The entry that asked for the next step (an `extends:` or an `include:` entry). */
  location?: SourceLocation;
}

/**
 * The steps being resolved, outermost first: extends of extends, or include of include. Each
 * step adds a link; a link already on the chain closes a cycle, which is reported with every
 * file and line of the loop instead of recursing until the stack overflows.
 */
export class ResolutionChain {
  private constructor(
    private readonly kind: 'extends' | 'include',
    private readonly links: readonly ChainLink[],
  ) {}

  static start(kind: 'extends' | 'include'): ResolutionChain {
    return new ResolutionChain(kind, []);
  }

  /** The chain with `link` at its end; throws a ResolutionCycleError when the link is on it already. */
  then(link: ChainLink): ResolutionChain {
    const first = this.links.findIndex((earlier) => earlier.key === link.key);
    if (first >= 0) {
      const loop = [...this.links.slice(first), link];
      const closing = this.links.at(-1)!;
      throw new ResolutionCycleError(`${this.kind} cycle: ${loop.map(describe).join(' → ')}`, {
        location: closing.location,
        hint: this.kind === 'extends' ? 'a service cannot extend itself, directly or through others: remove one of these extends' : 'a file cannot include itself, directly or through others: remove one of these include entries',
      });
    }
    return new ResolutionChain(this.kind, [...this.links, link]);
  }
}

function describe(link: ChainLink): string {
  if (!link.location) return link.label;
  const file = link.location.file === '-' ? '<stdin>' : relative(process.cwd(), link.location.file) || link.location.file;
  return `${link.label} (${file}:${link.location.line})`;
}
