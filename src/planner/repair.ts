import { LABEL } from './labels.js';
import type { ObservedContainer, ObservedNetwork, ObservedState } from './types.js';

/**
 * What concurrent or interrupted runs can leave that a plan must repair: several networks of the
 * project under one name (two `up`s that both created it), and containers attached to a network
 * that is gone (a `down` removed it under an `up`) or to one of those duplicates.
 */
export interface Leftovers {
  /** The network each name of the project's stands for: of duplicates, the one most containers use (then the lowest id). */
  kept: Map<string, ObservedNetwork>;
  /** The project's other networks of those names, to be removed by id. */
  duplicates: ObservedNetwork[];
  /** Containers of the project that must be recreated, by id, with why. */
  stranded: Map<string, string>;
}

export function findLeftovers(project: string, observed: Pick<ObservedState, 'containers' | 'networks'>): Leftovers {
  // up observes networks from the list alone (no member list): the containers' endpoints say who is attached.
  const attachedCount = (network: ObservedNetwork): number =>
    network.containers?.length ?? observed.containers.filter((container) => Object.values(container.networks).some((endpoint) => endpoint.networkId === network.id)).length;
  const byName = new Map<string, ObservedNetwork[]>();
  for (const network of observed.networks) byName.set(network.name, [...(byName.get(network.name) ?? []), network]);
  const kept = new Map<string, ObservedNetwork>();
  const duplicates: ObservedNetwork[] = [];
  for (const [name, networks] of byName) {
    const ours = networks.filter((network) => network.labels[LABEL.project] === project);
    const ranked = [...(ours.length > 0 ? ours : networks)].sort((a, b) => attachedCount(b) - attachedCount(a) || (a.id < b.id ? -1 : 1));
    kept.set(name, ranked[0]!);
    if (ours.length > 1) duplicates.push(...ranked.slice(1));
  }
  const stranded = new Map<string, string>();
  for (const container of observed.containers) {
    if (container.labels[LABEL.project] !== project) continue;
    const why = strandedBy(container, kept, duplicates);
    if (why) stranded.set(container.id, why);
  }
  return { kept, duplicates, stranded };
}

function strandedBy(container: ObservedContainer, kept: Map<string, ObservedNetwork>, duplicates: ObservedNetwork[]): string | undefined {
  for (const [name, endpoint] of Object.entries(container.networks)) {
    const network = kept.get(name);
    if (!network) return `network ${name} was removed under it`;
    // A container connected while stopped has no network id until it starts: with two candidates, which one is unknown.
    if (!endpoint.networkId) {
      if (duplicates.some((duplicate) => duplicate.name === name)) return `attached to network ${name}, which has a duplicate`;
      continue;
    }
    if (endpoint.networkId === network.id) continue;
    return duplicates.some((duplicate) => duplicate.id === endpoint.networkId) ? `attached to a duplicate of network ${name}` : `network ${name} was removed under it and created again`;
  }
  return undefined;
}
