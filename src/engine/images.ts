import type { EngineConnection } from './client.js';
import { TscomposeError } from '../errors.js';
import type { ImageBuildQuery } from '../planner/types.js';
import { pullQuery, registryOf } from '../planner/image-reference.js';
import { lookupCredentials, registryAuthHeader, type CredentialLookup } from './registry-auth.js';
import { EngineUnavailableError } from './address.js';
import { engineMessage } from './responses.js';

/** How often a pull's byte counts are reported at most: the display redraws, logs skip them. */
const PULL_PROGRESS_INTERVAL_MS = 200;

/** A step of a pull or build: `transient` figures (bytes so far) are replaced by the next one. */
export type ImageProgress = (text: string, transient: boolean) => void;

/** A pull the registry or engine refused: names the image, the registry, and where credentials came from. */
export class ImagePullError extends TscomposeError {}

/** A build that failed: names the step that failed. */
export class ImageBuildError extends TscomposeError {}

/** One entry of the engine's JSON-lines progress stream. */
interface StreamEntry {
  status?: string;
  id?: string;
  stream?: string;
  progressDetail?: { current?: number; total?: number };
  aux?: { ID?: string };
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * Pulls an image with the credentials the Docker client config holds for its registry (sent as
 * X-Registry-Auth, never logged). Layer progress is folded into one line per image.
 */
export async function pullImage(connection: EngineConnection, name: string, options: { signal?: AbortSignal; onProgress?: ImageProgress } = {}): Promise<void> {
  const registry = registryOf(name);
  const lookup = await lookupCredentials(registry);
  const auth = lookup.credentials ? { base64: registryAuthHeader(lookup.credentials) } : undefined;
  const layers = new LayerProgress();
  let lastReport = 0;
  try {
    const stream = (await connection.docker.createImage(auth as never, { ...pullQuery(name), abortSignal: options.signal } as never)) as unknown as NodeJS.ReadableStream;
    await readEntries(stream, (entry) => {
      if (entry.error) throw new Error(entry.errorDetail?.message ?? entry.error);
      const { changed, finished } = layers.update(entry);
      if (!changed || !options.onProgress) return;
      const now = Date.now();
      if (!finished && now - lastReport < PULL_PROGRESS_INTERVAL_MS) return;
      lastReport = now;
      options.onProgress(layers.summary(), !finished);
    });
  } catch (error) {
    // A stalled or vanished engine is not the registry's doing: say so as it is.
    if (options.signal?.aborted || error instanceof EngineUnavailableError) throw error;
    throw pullError(name, registry, lookup, error);
  }
}

function pullError(name: string, registry: string, lookup: CredentialLookup, error: unknown): ImagePullError {
  const message = engineMessage(error);
  const credentials = lookup.credentials ? `credentials from ${lookup.source} were used` : `no credentials for ${registry} were found in the Docker client config`;
  if (/unauthorized|authentication required|no basic auth credentials|denied|401/i.test(message) && !/does not exist/i.test(message)) {
    return new ImagePullError(`pulling ${name} from ${registry} was refused: ${message}`, {
      hint: lookup.credentials ? `${credentials}, and the registry refused them: check the user and password (docker login ${registry})` : `${credentials}: log in with docker login ${registry}, or set DOCKER_CONFIG`,
      cause: error,
    });
  }
  const unreachable = /no such host|dial tcp|connection refused|i\/o timeout|server gave HTTP response/i.test(message);
  if (!unreachable && /not found|manifest unknown|does not exist/i.test(message)) {
    return new ImagePullError(`image ${name} does not exist in ${registry}: ${message}`, { hint: `check the name and tag; ${credentials}`, cause: error });
  }
  if (unreachable) return new ImagePullError(`registry ${registry} cannot be reached to pull ${name}: ${message}`, { hint: 'check the registry address and that it answers from the engine’s host', cause: error });
  return new ImagePullError(`pulling ${name} from ${registry} failed: ${message}`, { hint: credentials, cause: error });
}

/** Per-layer state of a pull, summed up in one line: "Downloading 2/5 layers, 12.1 MB/40.2 MB". */
class LayerProgress {
  private readonly layers = new Map<string, { status: string; current: number; total: number }>();

  update(entry: StreamEntry): { changed: boolean; finished: boolean } {
    if (!entry.id || !entry.status || entry.id === 'latest' || entry.status.startsWith('Pulling from')) return { changed: false, finished: false };
    const layer = this.layers.get(entry.id) ?? { status: '', current: 0, total: 0 };
    const finished = layer.status !== entry.status && /complete|already exists/i.test(entry.status);
    layer.status = entry.status;
    if (entry.progressDetail?.total) {
      layer.current = entry.progressDetail.current ?? 0;
      layer.total = entry.progressDetail.total;
    }
    if (finished) layer.current = layer.total;
    this.layers.set(entry.id, layer);
    return { changed: true, finished };
  }

  summary(): string {
    const layers = [...this.layers.values()];
    const done = layers.filter((layer) => /complete|already exists/i.test(layer.status)).length;
    const current = layers.reduce((sum, layer) => sum + layer.current, 0);
    const total = layers.reduce((sum, layer) => sum + layer.total, 0);
    const verb = layers.some((layer) => layer.status === 'Extracting') ? 'Extracting' : 'Pulling';
    return `${verb} ${done}/${layers.length} layers${total > 0 ? `, ${formatBytes(current)}/${formatBytes(total)}` : ''}`;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/**
 * Builds an image from a context tar stream (POST /build, the classic builder). Every output
 * line goes to onProgress; a failure names the step it happened in. Returns the image id.
 */
export async function buildImage(
  connection: EngineConnection,
  context: NodeJS.ReadableStream,
  query: ImageBuildQuery & { dockerfile: string },
  options: { signal?: AbortSignal; onProgress?: ImageProgress; registryConfig?: string } = {},
): Promise<string | undefined> {
  // An absent list must stay out of the query: docker-modem would send it as an empty value.
  const { extrahosts, ...rest } = query;
  let step: string | undefined;
  let imageId: string | undefined;
  const stream = (await connection.docker.buildImage(context as never, { ...rest, ...(extrahosts ? { extrahosts } : {}), ...(options.registryConfig ? { registryconfig: { base64: options.registryConfig } } : {}), abortSignal: options.signal } as never)) as unknown as NodeJS.ReadableStream;
  await readEntries(stream, (entry) => {
    if (entry.error) {
      const message = (entry.errorDetail?.message ?? entry.error).trim();
      throw new ImageBuildError(`image ${query.t[0]}: ${step ? `build failed at ${step}` : 'build failed'}: ${message}`);
    }
    if (entry.aux?.ID) imageId = entry.aux.ID;
    for (const line of (entry.stream ?? entry.status ?? '').split('\n')) {
      const text = line.trim();
      if (!text) continue;
      const stepLine = /^Step (\d+\/\d+) : (.*)$/.exec(text);
      if (stepLine) step = `step ${stepLine[1]} (${stepLine[2]})`;
      const built = /^Successfully built ([0-9a-f]+)$/.exec(text);
      if (built) imageId ??= built[1];
      options.onProgress?.(text, false);
    }
  });
  return imageId;
}

/** Reads an engine JSON-lines stream to its end, handing each entry over; a throw in `each` ends it. */
async function readEntries(stream: NodeJS.ReadableStream, each: (entry: StreamEntry) => void): Promise<void> {
  let buffered = '';
  const handle = (line: string) => {
    if (!line.trim()) return;
    let entry: StreamEntry;
    try {
      entry = JSON.parse(line) as StreamEntry;
    } catch {
      entry = { stream: line };
    }
    each(entry);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) handle(line);
    }
    handle(buffered);
  } finally {
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  }
}
