import { LABEL } from '../planner/labels.js';
import type { EngineConnection } from './client.js';
import { ignoreNotFound } from './responses.js';

/** The processes of a running container, as `docker top` lists them (`ps -ef` columns). */
export interface ContainerProcesses {
  titles: string[];
  processes: string[][];
}

export async function containerProcesses(connection: EngineConnection, name: string): Promise<ContainerProcesses> {
  const { Titles, Processes } = (await connection.docker.getContainer(name).top()) as { Titles: string[]; Processes: string[][] | null };
  return { titles: Titles, processes: Processes ?? [] };
}

/** Waits until the container stops (now, if it has stopped) and returns its exit code. */
export async function containerExitCode(connection: EngineConnection, name: string, signal?: AbortSignal): Promise<number> {
  const result = (await connection.docker.getContainer(name).wait({ condition: 'not-running', ...(signal ? { abortSignal: signal } : {}) })) as { StatusCode: number };
  return result.StatusCode;
}

/** An image as `images` shows it: the container's image name split as compose splits it, and the image's id and size. */
export interface ContainerImage {
  container: string;
  repository: string;
  tag: string;
  id: string;
  size: number;
}

export async function containerImage(connection: EngineConnection, container: { name: string; image: string }): Promise<ContainerImage> {
  const details = (await connection.docker.getContainer(container.name).inspect()) as { Image: string };
  const image = (await ignoreNotFound(connection.docker.getImage(details.Image).inspect())) as { Size?: number } | undefined;
  const slash = container.image.lastIndexOf('/');
  const colon = container.image.lastIndexOf(':');
  const tagged = colon > slash;
  return { container: container.name, repository: tagged ? container.image.slice(0, colon) : container.image, tag: tagged ? container.image.slice(colon + 1) : 'latest', id: details.Image, size: image?.Size ?? 0 };
}

/** A container event of the project, in the shape `docker compose events --json` prints. */
export interface ProjectEvent {
  time: string;
  type: 'container';
  action: string;
  id: string;
  service: string;
  attributes: Record<string, string>;
}

/**
 * Follows the engine's events of this project's containers (by label) until `signal` aborts,
 * from the moment of the call: what happens while the request is on its way is not lost.
 */
export async function followProjectEvents(connection: EngineConnection, project: string, onEvent: (event: ProjectEvent) => void, signal: AbortSignal): Promise<void> {
  // Whole seconds, as the API reads them: at most the second before the call is replayed.
  const since = Math.floor(Date.now() / 1000);
  const stream = (await connection.docker.getEvents({ since, filters: { type: ['container'], label: [`${LABEL.project}=${project}`] }, abortSignal: signal })) as NodeJS.ReadableStream & { destroy(): void };
  let pending = '';
  const done = new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines.filter(Boolean)) {
        const raw = JSON.parse(line) as { Action: string; id: string; timeNano: number; Actor: { Attributes: Record<string, string> } };
        const attributes = raw.Actor.Attributes;
        onEvent({ time: new Date(raw.timeNano / 1e6).toISOString(), type: 'container', action: raw.Action, id: raw.id, service: attributes[LABEL.service] ?? '', attributes });
      }
    });
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', (error) => (signal.aborted ? resolve() : reject(error)));
  });
  signal.addEventListener('abort', () => stream.destroy(), { once: true });
  await done;
}
