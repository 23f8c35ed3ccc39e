/**
 * Edit distance between two words (insertions, deletions, substitutions and adjacent swaps),
 * or `limit + 1` as soon as it is sure to exceed `limit`: three rows of a flat array, so that
 * thousands of unresolved names against thousands of candidates stay cheap.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const cols = b.length + 1;
  let before = new Uint32Array(cols);
  let previous = Uint32Array.from({ length: cols }, (_, j) => j);
  let current = new Uint32Array(cols);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMinimum = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

const MAX_SUGGESTION_CANDIDATES = 300;

/** The candidate closest to `word`, when it is close enough to be what the user meant. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const list = Array.isArray(candidates) ? (candidates as string[]) : [...candidates];
  // Among more names than this a near miss is as likely another name as the one meant, and
  // thousands of unresolved names against thousands of candidates took minutes: no suggestion.
  if (list.length > MAX_SUGGESTION_CANDIDATES) return undefined;
  const allowed = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of list) {
    // The distance is at least the difference in length: skipping those keeps a huge word from costing length × length.
    if (Math.abs(candidate.length - word.length) > allowed) continue;
    const distance = editDistance(lower, candidate.toLowerCase(), allowed);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= allowed) return best;
  // "backend" for "back": a name that the word starts with, or that starts with the word.
  for (const candidate of list) {
    const other = candidate.toLowerCase();
    if (other.length >= 3 && (lower.startsWith(other) || other.startsWith(lower))) return candidate;
  }
  return undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = closestMatch(word, candidates);
  return match === undefined ? undefined : `did you mean "${match}"?`;
}

const names = new WeakMap<object, string[]>();

/** The keys of a section of the model, listed once however many unresolved names look among them. */
export function namesOf(section: object): string[] {
  let list = names.get(section);
  if (!list) names.set(section, (list = Object.keys(section)));
  return list;
}
