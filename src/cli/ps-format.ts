import { UsageError, type ContainerSummary, type PortPublisher } from '../usecases/index.js';

/**
 * `ps` output as compose prints it: each container is compose's formatter record (the fields of
 * its `ContainerContext`), printed as JSON lines, through a Go-template subset, or as the table.
 */

/** A value of a record field: what Go's templates and encoding/json see. */
type FieldValue = string | number | PortPublisher[];
export type PsRecord = Record<string, FieldValue>;

/** Docker's ellipsis width for the COMMAND column, and for mount names. */
const COMMAND_WIDTH = 20;
const MOUNT_WIDTH = 15;

/** compose's default `ps` table. */
const DEFAULT_TABLE = 'table {{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}';

/** Column headers compose and docker give the fields; any other field's header is its name upper-cased. */
const HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  RunningFor: 'CREATED',
  CreatedAt: 'CREATED AT',
  LocalVolumes: 'LOCAL VOLUMES',
};

/**
 * The record compose's `ps --format json` prints for a container (keys in the order Go's
 * encoding/json writes them: sorted). `trunc` is compose's default, `--no-trunc` turns it off:
 * a short ID, the command cut at 20 characters, mount names at 15, only the container's own name.
 */
export function psRecord(container: ContainerSummary, { trunc, now }: { trunc: boolean; now: number }): PsRecord {
  const names = container.Names.map((name) => name.replace(/^\//, ''));
  const record: PsRecord = {
    Command: JSON.stringify(trunc ? ellipsis(container.Command, COMMAND_WIDTH) : container.Command),
    CreatedAt: goTime(container.Created),
    ExitCode: container.ExitCode,
    Health: container.Health,
    ID: trunc ? container.ID.slice(0, 12) : container.ID,
    Image: container.Image,
    Labels: Object.entries(container.Labels)
      .map(([key, value]) => `${key}=${value}`)
      .sort()
      .join(','),
    LocalVolumes: String(container.LocalVolumes),
    Mounts: container.Mounts.map((mount) => (trunc ? ellipsis(mount, MOUNT_WIDTH) : mount)).join(','),
    Name: container.Name,
    Names: (trunc ? names.filter((name) => !name.includes('/')).slice(0, 1) : names).join(','),
    Networks: container.Networks.join(','),
    Ports: displayablePorts(container.Publishers),
    Project: container.Project,
    Publishers: container.Publishers,
    RunningFor: `${humanDuration(now - container.Created * 1000)} ago`,
    Service: container.Service,
    Size: '0B',
    State: container.State,
    Status: container.Status,
  };
  return record;
}

/** JSON as Go's encoding/json writes it: `<`, `>` and `&` escaped, so `->` in Ports reads `-\u003e` as with compose. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, (char) => `\\u00${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Renders the records with a `--format` value: `json` (one JSON line per container), `table`
 * (compose's columns), or a Go template of the subset scripts use: `{{.Field}}`, `{{json .}}`,
 * `{{json .Field}}`, `{{upper .Field}}`, `{{lower .Field}}`, `{{.Label "name"}}`, a `table `
 * prefix for aligned columns under headers, and `\t`, `\n` escapes.
 */
export function renderPs(records: readonly PsRecord[], labels: readonly Record<string, string>[], format: string): string {
  if (format === 'json') return records.map((record) => goJson(record) + '\n').join('');
  const source = format === 'table' ? DEFAULT_TABLE : format;
  const table = source.startsWith('table ') || source === 'table';
  const template = parseTemplate(
    (table ? source.slice('table'.length) : source)
      .trim()
      .replace(/\\t/g, '\t')
      .replace(/\\n/g, '\n'),
  );
  const rows = records.map((record, index) => template.map((part) => (typeof part === 'string' ? part : part.render(record, labels[index] ?? {}))).join(''));
  if (!table) return rows.map((row) => row + '\n').join('');
  const header = template.map((part) => (typeof part === 'string' ? part : part.header)).join('');
  return alignColumns([header, ...rows]);
}

interface Action {
  header: string;
  render(record: PsRecord, labels: Record<string, string>): string;
}

const FUNCTIONS: Record<string, (value: FieldValue | PsRecord) => string> = {
  json: (value) => goJson(value),
  upper: (value) => goText(value).toUpperCase(),
  lower: (value) => goText(value).toLowerCase(),
};

function parseTemplate(text: string): (string | Action)[] {
  const parts: (string | Action)[] = [];
  let rest = text;
  for (let start = rest.indexOf('{{'); start >= 0; start = rest.indexOf('{{')) {
    const end = rest.indexOf('}}', start);
    if (end < 0) throw formatError(`unclosed action in "${text}"`);
    if (start > 0) parts.push(rest.slice(0, start));
    parts.push(parseAction(rest.slice(start + 2, end).trim()));
    rest = rest.slice(end + 2);
  }
  if (rest) parts.push(rest);
  return parts;
}

function parseAction(action: string): Action {
  const label = /^\.Label\s+"([^"]*)"$/.exec(action);
  if (label) return { header: label[1]!.toUpperCase(), render: (_record, labels) => labels[label[1]!] ?? '' };
  const call = /^(?:(\w+)\s+)?\.(\w*)$/.exec(action);
  if (!call) throw formatError(`"{{${action}}}" is not an action tscompose's --format knows`);
  const [, fn, field] = call as unknown as [string, string | undefined, string];
  if (fn !== undefined && !FUNCTIONS[fn]) throw formatError(`unknown function "${fn}" in "{{${action}}}"`, `functions: ${Object.keys(FUNCTIONS).join(', ')}`);
  if (field !== '' && !fields().includes(field)) throw formatError(`unknown field .${field} in "{{${action}}}"`, `fields: ${fields().join(', ')}`);
  const apply = fn ? FUNCTIONS[fn]! : goText;
  return {
    header: field === '' ? '' : (HEADERS[field] ?? field.toUpperCase()),
    render: (record) => apply(field === '' ? record : record[field]!),
  };
}

let FIELDS: string[] | undefined;
/** The fields a template may name, from a record of nothing: made on first use, not by every command at start. */
const fields = (): string[] => (FIELDS ??= Object.keys(psRecord({ ID: '', Name: '', Names: [], Image: '', Command: '', Project: '', Service: '', Created: 0, State: '', Status: '', Health: '', ExitCode: 0, Publishers: [], Labels: {}, Mounts: [], Networks: [], LocalVolumes: 0 }, { trunc: false, now: 0 })));

function formatError(message: string, hint = 'use --format table, --format json, or a template such as "{{.Name}}\\t{{.State}}"'): UsageError {
  return new UsageError(`--format: ${message}`, { hint });
}

/** A value as Go's template prints it: `[{URL TargetPort PublishedPort Protocol} …]` for publishers. */
function goText(value: FieldValue | PsRecord): string {
  if (Array.isArray(value)) return `[${value.map((port) => `{${port.URL} ${port.TargetPort} ${port.PublishedPort} ${port.Protocol}}`).join(' ')}]`;
  if (typeof value === 'object') return `map[${Object.entries(value).map(([key, item]) => `${key}:${goText(item)}`).join(' ')}]`;
  return String(value);
}

/**
 * Aligns tab-separated cells as docker's tabwriter does (minimum width 10, padding 3); the last
 * cell of a line is not padded.
 */
function alignColumns(lines: string[]): string {
  const rows = lines.map((line) => line.split('\t'));
  const widths: number[] = [];
  for (const row of rows) row.slice(0, -1).forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, cell.length + 3, 10)));
  return rows.map((row) => row.map((cell, column) => (column < row.length - 1 ? cell.padEnd(widths[column]!) : cell)).join('').trimEnd() + '\n').join('');
}

/** `127.0.0.1:8080->80/tcp, [::]:8080->80/tcp, 9000/tcp`: published ports, and exposed ones without a host port. */
function displayablePorts(publishers: readonly PortPublisher[]): string {
  return publishers
    .map((port) => {
      if (!port.PublishedPort) return `${port.TargetPort}/${port.Protocol}`;
      const ip = port.URL.includes(':') ? `[${port.URL}]` : port.URL;
      return `${ip ? `${ip}:` : ''}${port.PublishedPort}->${port.TargetPort}/${port.Protocol}`;
    })
    .join(', ');
}

/** Docker's ellipsis: cut to `width` characters, the last one `…`. */
function ellipsis(text: string, width: number): string {
  const characters = [...text];
  return characters.length > width ? characters.slice(0, width - 1).join('') + '…' : text;
}

/** Unix seconds as Go's `time.Time.String()` writes them, in UTC: `2026-12-01 15:50:17 +0000 UTC`. */
function goTime(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

/** A duration as docker words it: `Less than a second`, `About a minute`, `3 hours`, `2 weeks`. */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.round(milliseconds / 3_600_000);
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (seconds < 1) return 'Less than a second';
  if (seconds < 60) return plural(seconds, 'second');
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return plural(minutes, 'minute');
  if (hours === 1) return 'About an hour';
  if (hours < 48) return plural(hours, 'hour');
  if (hours < 24 * 7 * 2) return plural(Math.floor(hours / 24), 'day');
  if (hours < 24 * 30 * 2) return plural(Math.floor(hours / 24 / 7), 'week');
  if (hours < 24 * 365 * 2) return plural(Math.floor(hours / 24 / 30), 'month');
  return plural(Math.floor(milliseconds / 3_600_000 / 24 / 365), 'year');
}
