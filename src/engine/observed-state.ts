import type Docker from 'dockerode';
import { LABEL } from '../planner/labels.js';
import { findImage } from '../planner/images.js';
import type { ObservedContainer, ObservedImage, ObservedNetwork, ObservedState, ObservedVolume } from '../planner/types.js';
import type { EngineConnection } from './client.js';
import type { EngineReader } from './engine-get.js';
import { compareText, ignoreNotFound } from './responses.js';

/** Inspect calls in flight at once: enough to hide round trips, few enough not to flood the engine. */
const INSPECT_CONCURRENCY = 32;

type ObservedEndpoints = ObservedContainer['networks'];

export interface ObserveOptions {
  /** List the images too (default): `down` has no use for them. */
  images?: boolean;
  /** Images whose last tag time the plan needs (refresh pull policies): only these are inspected. */
  imagesNeedingAge?: readonly string[];
  /** Inspect the project's networks for the containers attached (default): `down` disconnects them, `up` has no use for them. */
  networkMembers?: boolean;
}

/**
 * One snapshot of every container, network, volume and image on the engine, sorted by name.
 * Only this project's resources are inspected: the list calls leave out endpoint aliases and
 * network members.
 */
export async function observeEngine(connection: EngineConnection, project: string, options: ObserveOptions = {}): Promise<ObservedState> {
  const observedAt = new Date().toISOString();
  const [containers, networks, volumes, images] = await Promise.all([
    observeContainers(connection.reader, project),
    observeNetworks(connection.reader, options.networkMembers === false ? undefined : project),
    observeVolumes(connection.reader),
    options.images === false ? undefined : observeImages(connection, options.imagesNeedingAge ?? []),
  ]);
  return { apiVersion: connection.apiVersion, containers, networks, volumes, ...(images ? { images } : {}), observedAt };
}

/** Tagged images; the list has no last tag time, so the few images a refresh policy asks about are inspected. */
export async function observeImages(connection: EngineConnection, needingAge: readonly string[]): Promise<ObservedImage[]> {
  const { reader } = connection;
  const listed = await reader.get<Docker.ImageInfo[]>('/images/json', { 200: true, 400: 'bad parameter', 500: 'server error' });
  const images: ObservedImage[] = listed
    .map((image) => ({ id: image.Id, tags: (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>').sort() }))
    .filter((image) => image.tags.length > 0)
    .sort((a, b) => compareText(a.tags[0]!, b.tags[0]!));
  await Promise.all(
    needingAge.map(async (name) => {
      const image = findImage(images, name);
      if (!image) return;
      const details = await ignoreNotFound(reader.get<{ Metadata?: { LastTagTime?: string } }>(`/images/${encodeURIComponent(image.id)}/json`, { 200: true, 404: 'no such image', 500: 'server error' }));
      const time = details?.Metadata?.LastTagTime;
      if (time && !time.startsWith('0001-')) image.lastTagTime = time;
    }),
  );
  return images;
}

async function observeContainers(reader: EngineReader, project: string): Promise<ObservedContainer[]> {
  const listed = await reader.get<Docker.ContainerInfo[]>('/containers/json', { 200: true, 400: 'bad parameter', 500: 'server error' }, { all: true });
  const observed = await mapBounded(listed, INSPECT_CONCURRENCY, async (summary): Promise<ObservedContainer | undefined> => {
    const labels = summary.Labels ?? {};
    const networks =
      labels[LABEL.project] === project ? await inspectEndpoints(reader, summary.Id) : listedEndpoints(summary);
    if (!networks) return undefined;
    return {
      id: summary.Id,
      name: containerName(summary.Names),
      labels,
      state: summary.State,
      imageId: summary.ImageID,
      networks,
      ports: publishedPorts(summary.Ports ?? []),
    };
  });
  return observed.filter((container) => container !== undefined).sort(byNameThenId);
}

/** Networks as listed; those of `membersOf` (a project) inspected for their attached containers. */
async function observeNetworks(reader: EngineReader, membersOf: string | undefined): Promise<ObservedNetwork[]> {
  const listed = await reader.get<Docker.NetworkInspectInfo[]>('/networks', { 200: true, 400: 'bad parameter', 500: 'server error' });
  const observed = await mapBounded(listed, INSPECT_CONCURRENCY, async (summary): Promise<ObservedNetwork | undefined> => {
    const labels = summary.Labels ?? {};
    const containers = membersOf !== undefined && labels[LABEL.project] === membersOf ? await inspectMembers(reader, summary.Id) : [];
    if (!containers) return undefined;
    return {
      id: summary.Id,
      name: summary.Name,
      labels,
      driver: summary.Driver,
      subnets: (summary.IPAM?.Config ?? []).flatMap((pool) => (pool.Subnet ? [pool.Subnet] : [])),
      ...(membersOf === undefined ? {} : { containers }),
    };
  });
  return observed.filter((network) => network !== undefined).sort(byNameThenId);
}

async function observeVolumes(reader: EngineReader): Promise<ObservedVolume[]> {
  const { Volumes: volumes } = await reader.get<{ Volumes: Docker.VolumeInspectInfo[] | null }>('/volumes', { 200: true, 400: 'bad parameter', 500: 'server error' });
  return (volumes ?? []).map((volume) => ({ name: volume.Name, labels: volume.Labels ?? {} })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Endpoints with their aliases, from inspect; undefined when the container is gone. */
async function inspectEndpoints(reader: EngineReader, id: string): Promise<ObservedEndpoints | undefined> {
  const details = await ignoreNotFound(reader.get<Docker.ContainerInspectInfo>(`/containers/${encodeURIComponent(id)}/json`, { 200: true, 404: 'no such container', 500: 'server error' }));
  if (!details) return undefined;
  // Engines before API 1.45 add the short id as an alias on start; it is not configuration.
  const shortId = id.slice(0, 12);
  return endpointsByName(details.NetworkSettings.Networks ?? {}, (endpoint) =>
    (endpoint.Aliases ?? []).filter((alias: string) => alias !== shortId),
  );
}

/** Endpoints as the list shows them: the address is there, the aliases are not. */
function listedEndpoints(summary: Docker.ContainerInfo): ObservedEndpoints {
  return endpointsByName(summary.NetworkSettings?.Networks ?? {}, () => []);
}

function endpointsByName(
  endpoints: Record<string, { Aliases?: string[] | null; IPAddress?: string; NetworkID?: string }>,
  aliasesOf: (endpoint: { Aliases?: string[] | null }) => string[],
): ObservedEndpoints {
  const names = Object.keys(endpoints).sort();
  return Object.fromEntries(
    names.map((name) => {
      const endpoint = endpoints[name]!;
      // A container that is not running has no address: the engine says "".
      const address = endpoint.IPAddress ? { ipv4Address: endpoint.IPAddress } : {};
      // Which network of that name: after a race there may be two, or none left.
      const network = endpoint.NetworkID ? { networkId: endpoint.NetworkID } : {};
      return [name, { aliases: aliasesOf(endpoint), ...address, ...network }];
    }),
  );
}

/** Ids of the containers attached to a network, from inspect; undefined when the network is gone. */
async function inspectMembers(reader: EngineReader, id: string): Promise<string[] | undefined> {
  const details = await ignoreNotFound(reader.get<Docker.NetworkInspectInfo>(`/networks/${encodeURIComponent(id)}`, { 200: true, 404: 'no such network', 500: 'server error' }));
  return details ? Object.keys(details.Containers ?? {}).sort() : undefined;
}

/** Bindings that hold a host port; the list shows unpublished exposed ports too, without one. */
function publishedPorts(ports: Docker.Port[]): ObservedContainer['ports'] {
  return ports
    .filter((port) => port.PublicPort)
    .map((port) => ({ hostIp: port.IP ?? '', hostPort: port.PublicPort, containerPort: port.PrivatePort, protocol: port.Type }))
    .sort(
      (a, b) =>
        a.containerPort - b.containerPort ||
        compareText(a.protocol, b.protocol) ||
        compareText(a.hostIp, b.hostIp) ||
        a.hostPort - b.hostPort,
    );
}

/** The container's own name: legacy links add `/other/alias` entries to Names. */
function containerName(names: string[]): string {
  const own = names.find((name) => name.lastIndexOf('/') === 0) ?? names[0] ?? '';
  return own.replace(/^\//, '');
}

function byNameThenId(a: { name: string; id: string }, b: { name: string; id: string }): number {
  return compareText(a.name, b.name) || compareText(a.id, b.id);
}



/** Maps items with at most `limit` calls pending at once, keeping the input order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
