import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import type Docker from 'dockerode';
import { LABEL } from '../planner/labels.js';
import type { EngineConnection } from './client.js';
import { compareText, ignoreNotFound } from './responses.js';
import { FrameDemultiplexer, type OutputStream } from './stream-frames.js';

/** A port the engine published on the host for a container. */
export interface PublishedPort {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: string;
}

/** One of the project's service containers, as plain data (what `ps` shows and `--format json` prints). */
export interface ProjectContainer {
  id: string;
  name: string;
  service: string;
  /** The replica number (label com.docker.compose.container-number), from 1. */
  number: number;
  /** The engine's state word: created, running, paused, restarting, exited, dead. */
  state: string;
  /** The engine's status text, e.g. `Up 5 minutes (healthy)`, `Exited (0) 2 hours ago`. */
  status: string;
  image: string;
  command: string;
  /** When the container was created, ISO 8601. */
  created: string;
  /** healthy, unhealthy or starting; absent without a healthcheck. */
  health?: string;
  /** Present once the container has stopped. */
  exitCode?: number;
  ports: PublishedPort[];
}

/**
 * The project's service containers, found by the project label only (a name proves nothing),
 * sorted by service then number. One-off containers (`run`) are left out, as compose's ps does.
 * Without `all`, only running containers.
 */
export async function listProjectContainers(connection: EngineConnection, project: string, { all = false } = {}): Promise<ProjectContainer[]> {
  const containers = (await listServiceContainers(connection, project, all)).map(({ summary, details }) => describeContainer(summary, details));
  return containers.sort((a, b) => compareText(a.service, b.service) || a.number - b.number || compareText(a.name, b.name));
}

/** The list's entry of each service container with its inspect (the list leaves out health and exit code). */
async function listServiceContainers(connection: EngineConnection, project: string, all: boolean): Promise<{ summary: Docker.ContainerInfo; details: Docker.ContainerInspectInfo }[]> {
  const { docker } = connection;
  const listed = await docker.listContainers({ all, filters: { label: [`${LABEL.project}=${project}`] } });
  const services = listed.filter((summary) => summary.Labels?.[LABEL.oneoff] !== 'True' && summary.Labels?.[LABEL.service]);
  const inspected = await Promise.all(services.map(async (summary) => ({ summary, details: await ignoreNotFound(docker.getContainer(summary.Id).inspect()) })));
  return inspected.filter((entry): entry is { summary: Docker.ContainerInfo; details: Docker.ContainerInspectInfo } => entry.details !== undefined);
}

function stopped(details: Docker.ContainerInspectInfo): boolean {
  return details.State.Status === 'exited' || details.State.Status === 'dead';
}

function describeContainer(summary: Docker.ContainerInfo, details: Docker.ContainerInspectInfo): ProjectContainer {
  return {
    id: summary.Id,
    name: containerName(summary.Names),
    service: summary.Labels[LABEL.service]!,
    number: Number(summary.Labels[LABEL.containerNumber] ?? 1),
    state: summary.State,
    status: summary.Status,
    image: summary.Image,
    command: summary.Command,
    created: new Date(summary.Created * 1000).toISOString(),
    ...(details.State.Health?.Status ? { health: details.State.Health.Status } : {}),
    ...(stopped(details) ? { exitCode: details.State.ExitCode } : {}),
    ports: publishedPorts(summary.Ports ?? []),
  };
}

/** A port of a container as compose's `ps --format json` lists it: exposed ones too, with PublishedPort 0. */
export interface PortPublisher {
  URL: string;
  TargetPort: number;
  PublishedPort: number;
  Protocol: string;
}

/**
 * A service container with compose's field names and values (its `api.ContainerSummary`): what
 * `ps --format json` and `ps --format` templates are made from.
 */
export interface ContainerSummary {
  ID: string;
  Name: string;
  /** As the engine lists them, with their leading slash. */
  Names: string[];
  Image: string;
  Command: string;
  Project: string;
  Service: string;
  /** Unix seconds. */
  Created: number;
  State: string;
  Status: string;
  /** healthy, unhealthy or starting while running with a healthcheck; else empty. */
  Health: string;
  /** The exit code once exited or dead; else 0. */
  ExitCode: number;
  Publishers: PortPublisher[];
  Labels: Record<string, string>;
  /** Volume names, or the source of a bind mount. */
  Mounts: string[];
  Networks: string[];
  /** How many mounts use the local volume driver. */
  LocalVolumes: number;
}

/** The project's service containers as compose's summaries, sorted by name as compose's ps sorts them. */
export async function listContainerSummaries(connection: EngineConnection, project: string, { all = false } = {}): Promise<ContainerSummary[]> {
  const summaries = (await listServiceContainers(connection, project, all)).map(({ summary, details }) => summarize(summary, details));
  return summaries.sort((a, b) => compareText(a.Name, b.Name));
}

function summarize(summary: Docker.ContainerInfo, details: Docker.ContainerInspectInfo): ContainerSummary {
  const mounts = (summary.Mounts ?? []) as { Name?: string; Source: string; Driver?: string }[];
  return {
    ID: summary.Id,
    Name: containerName(summary.Names),
    Names: summary.Names,
    Image: summary.Image,
    Command: summary.Command,
    Project: summary.Labels[LABEL.project] ?? '',
    Service: summary.Labels[LABEL.service] ?? '',
    Created: summary.Created,
    State: summary.State,
    Status: summary.Status,
    Health: details.State.Status === 'running' ? (details.State.Health?.Status ?? '') : '',
    ExitCode: stopped(details) ? details.State.ExitCode : 0,
    Publishers: [...(summary.Ports ?? [])]
      .sort((a, b) => a.PrivatePort - b.PrivatePort || compareText(a.Type, b.Type) || compareText(a.IP ?? '', b.IP ?? ''))
      .map((port) => ({ URL: port.IP ?? '', TargetPort: port.PrivatePort, PublishedPort: port.PublicPort ?? 0, Protocol: port.Type })),
    Labels: summary.Labels ?? {},
    Mounts: mounts.map((mount) => mount.Name || mount.Source),
    Networks: Object.keys(summary.NetworkSettings?.Networks ?? {}).sort(compareText),
    LocalVolumes: mounts.filter((mount) => mount.Driver === 'local').length,
  };
}

/** Bindings that hold a host port, by container port; the list also shows exposed ports without one. */
function publishedPorts(ports: Docker.Port[]): PublishedPort[] {
  return ports
    .filter((port) => port.PublicPort)
    .map((port) => ({ hostIp: port.IP ?? '', hostPort: port.PublicPort, containerPort: port.PrivatePort, protocol: port.Type }))
    .sort((a, b) => a.containerPort - b.containerPort || compareText(a.protocol, b.protocol) || compareText(a.hostIp, b.hostIp) || a.hostPort - b.hostPort);
}

/** The container's own name: legacy links add `/other/alias` entries to Names. */
function containerName(names: string[]): string {
  const own = names.find((name) => name.lastIndexOf('/') === 0) ?? names[0] ?? '';
  return own.replace(/^\//, '');
}

/** One line a container wrote, without its newline. */
export interface LogLine {
  stream: OutputStream;
  /** The line; with `timestamps`, it starts with the engine's RFC 3339 time and a space. */
  text: string;
}

export interface LogOptions {
  /** Keep the stream open for new lines until the container stops. */
  follow?: boolean;
  /** Only the last N lines of the history; `all` (the default) for all of it. */
  tail?: number | 'all';
  timestamps?: boolean;
  /** Only lines written at or after this time, in Unix seconds (`--since`). */
  since?: number;
  /** Only lines written before this time, in Unix seconds (`--until`). */
  until?: number;
}

/**
 * A container's logs as an object-mode stream of {@link LogLine}s, stdout and stderr both.
 * Destroying the stream ends the request to the engine (how a follow is stopped).
 */
export async function containerLogs(connection: EngineConnection, id: string, { follow = false, tail = 'all', timestamps = false, since, until }: LogOptions = {}): Promise<Readable> {
  const container = connection.docker.getContainer(id);
  // Without a tty the engine frames each chunk with an 8-byte header naming the stream; with one, it is raw.
  const { Config } = await container.inspect();
  const request = { stdout: true, stderr: true, timestamps, ...(tail === 'all' ? {} : { tail }), ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) };
  const source: NodeJS.ReadableStream = follow ? await container.logs({ ...request, follow: true }) : Readable.from([await container.logs({ ...request, follow: false })]);
  const lines = new LogLineSplitter(Config.Tty);
  // pipeline: destroying the lines stream also closes the engine's response, and an engine error
  // destroys the lines stream with it, so the consumer sees it there.
  pipeline(source, lines, () => {});
  return lines;
}

/** Bytes from the logs endpoint in, {@link LogLine}s out: demultiplexes the frames and splits lines. */
export class LogLineSplitter extends Transform {
  private readonly frames = new FrameDemultiplexer();
  /** A line's start that has not seen its newline yet, per stream. */
  private readonly partial = { stdout: '', stderr: '' };
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };

  constructor(private readonly tty: boolean) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.tty) {
      this.emitLines('stdout', chunk);
      return done();
    }
    for (const [stream, payload] of this.frames.push(chunk)) this.emitLines(stream, payload);
    done();
  }

  override _flush(done: TransformCallback): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.partial[stream] + this.decoders[stream].decode();
      if (rest) this.push({ stream, text: rest.replace(/\r$/, '') } satisfies LogLine);
    }
    done();
  }

  private emitLines(stream: LogLine['stream'], bytes: Uint8Array): void {
    const text = this.partial[stream] + this.decoders[stream].decode(bytes, { stream: true });
    const lines = text.split('\n');
    this.partial[stream] = lines.pop()!;
    // A tty writes \r\n.
    for (const line of lines) this.push({ stream, text: line.replace(/\r$/, '') } satisfies LogLine);
  }
}

/** Waits until the container is not running and returns its exit code; undefined when it is gone. */
export async function containerExitCode(connection: EngineConnection, id: string): Promise<number | undefined> {
  const result = await ignoreNotFound(connection.docker.getContainer(id).wait({ condition: 'not-running' }) as Promise<{ StatusCode: number }>);
  return result?.StatusCode;
}
