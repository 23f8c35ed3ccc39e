import { TscomposeError } from '../errors.js';
import { LABEL } from '../planner/labels.js';
import type { ObservedNetwork } from '../planner/types.js';

/** The engine has no subnet left in its address pools for a new network. */
export class AddressPoolsExhaustedError extends TscomposeError {}

/** What the engine says when its pools are used up (libnetwork's ipamutils and older wording). */
const EXHAUSTION_MESSAGES = ['could not find an available, non-overlapping IPv4 address pool', 'all predefined address pools have been fully subnetted'];

/**
 * When `error` is the engine refusing a network because its default address pools are used up,
 * an error that says so and lists the networks holding pools, largest subnet first; else undefined.
 */
export function explainAddressPoolExhaustion(error: unknown, networks: ObservedNetwork[]): TscomposeError | undefined {
  const engineMessage = error instanceof Error ? error.message : String(error);
  if (!EXHAUSTION_MESSAGES.some((text) => engineMessage.includes(text))) return undefined;
  const holders = networks
    // Overlay networks draw from the swarm's own pools, not these.
    .filter((network) => network.driver !== 'overlay')
    .flatMap((network) => {
      const largest = largestIpv4Subnet(network.subnets);
      return largest ? [{ network, ...largest }] : [];
    })
    .sort((a, b) => a.prefixLength - b.prefixLength || a.network.name.localeCompare(b.network.name));
  const listing = holders.length
    ? `Networks holding subnets, largest first:\n${holders.map(({ network, subnet }) => `  - ${subnet}  ${network.name} (${projectOf(network)})`).join('\n')}`
    : 'No network on the engine holds one, so the pools themselves are too small.';
  return new AddressPoolsExhaustedError(
    `the engine has no free subnet for a new network: it hands out subnets from its default address pools, and every bridge network without a subnet of its own takes one.\n${listing}`,
    {
      hint: 'remove networks nothing uses (docker network prune), bring down projects you no longer need (tscompose down), or give the engine more or smaller pools with default-address-pools in /etc/docker/daemon.json',
      cause: error,
    },
  );
}

function largestIpv4Subnet(subnets: string[]): { subnet: string; prefixLength: number } | undefined {
  const ipv4 = subnets
    .map((subnet) => ({ subnet, prefixLength: Number(/^\d+\.\d+\.\d+\.\d+\/(\d+)$/.exec(subnet)?.[1] ?? NaN) }))
    .filter(({ prefixLength }) => Number.isInteger(prefixLength));
  return ipv4.sort((a, b) => a.prefixLength - b.prefixLength)[0];
}

function projectOf(network: ObservedNetwork): string {
  const project = network.labels[LABEL.project];
  return project ? `project ${project}` : 'no project';
}
