import { sha256, stableJson } from './config-hash.js';
import type { ConfigChange } from './types.js';

/**
 * What a resource was created from, kept in a label (LABEL.config) so that a later plan can say
 * what changed, path by path. Compose keeps only a hash; the engine's inspect mixes in the
 * image's defaults and speaks Engine API terms, not the compose file's. Values of environment
 * variables whose names say they are secret are kept as a digest: a change is named, the value
 * is never written or printed.
 */
export function recordedConfig(config: Record<string, unknown>): string {
  return stableJson(redactSecrets(config));
}

/** The config hash and the record of one configuration; without secrets the record is the very text hashed, serialised once. */
export function hashedAndRecorded(config: Record<string, unknown>): { hash: string; recorded: string } {
  const serialised = stableJson(config);
  const redacted = redactSecrets(config);
  return { hash: sha256(serialised), recorded: redacted === config ? serialised : stableJson(redacted) };
}

/** Variable names that hold secrets by convention: DB_PASSWORD, API_KEY, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY. */
const SECRET_NAME = /(^|_)(PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|KEY|CREDENTIALS?|AUTH|PRIVATE)(_|$)/i;

/** A secret value as the label keeps it. */
interface SecretDigest {
  $secret: string;
}

/** The configuration with its secrets as digests; the same object when it holds none. */
function redactSecrets(config: Record<string, unknown>): Record<string, unknown> {
  const environment = config.environment;
  if (environment === null || typeof environment !== 'object') return config;
  const variables = environment as Record<string, unknown>;
  if (!Object.keys(variables).some((name) => typeof variables[name] === 'string' && SECRET_NAME.test(name))) return config;
  const redacted = Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [name, typeof value === 'string' && SECRET_NAME.test(name) ? digest(value) : value]),
  );
  return { ...config, environment: redacted };
}

function digest(value: string): SecretDigest {
  return { $secret: sha256(value) };
}

function isSecret(value: unknown): value is SecretDigest {
  return value !== null && typeof value === 'object' && typeof (value as SecretDigest).$secret === 'string';
}

/** What changed between two LABEL.config values; nothing known (empty) when the old one was not recorded or cannot be read. */
export function recordedChanges(before: string | undefined, after: string): ConfigChange[] {
  if (before === undefined) return [];
  try {
    return configChanges(JSON.parse(before), JSON.parse(after));
  } catch {
    return [];
  }
}

/**
 * The differences between two recorded configurations, path by path in compose terms
 * (`environment.LOG_LEVEL`, `ports[0].published`, `labels["com.example.tier"]`), in key order.
 */
export function configChanges(before: unknown, after: unknown, path = ''): ConfigChange[] {
  if (isSecret(before) || isSecret(after)) {
    return isSecret(before) && isSecret(after) && before.$secret === after.$secret ? [] : [{ path, secret: true }];
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, index) => configChanges(before[index], after[index], `${path}[${index}]`)).flat();
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => configChanges(before[key], after[key], joinPath(path, key)));
  }
  if (stableJson(before) === stableJson(after)) return [];
  return [{ path, ...(before === undefined ? {} : { from: before }), ...(after === undefined ? {} : { to: after }) }];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function joinPath(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Longest value shown in a cause; the plan's `changes` hold the whole value. */
const SHOWN_VALUE_LENGTH = 40;

/** One change as people read it: `environment.LOG_LEVEL: "info" → "debug"`; a secret only by name. */
export function formatChange(change: ConfigChange): string {
  if (change.secret) return `${change.path}: changed (secret, not shown)`;
  return `${change.path}: ${shownValue(change.from)} → ${shownValue(change.to)}`;
}

function shownValue(value: unknown): string {
  if (value === undefined) return '(none)';
  // Image ids read as docker shows them: unquoted, shortened.
  if (typeof value === 'string' && value.startsWith('sha256:')) return value.length > 19 ? `${value.slice(0, 19)}…` : value;
  const text = JSON.stringify(value);
  return text.length > SHOWN_VALUE_LENGTH ? `${text.slice(0, SHOWN_VALUE_LENGTH - 1)}…` : text;
}

/** Changes shown in a cause line; the rest are counted. */
const CHANGES_IN_CAUSE = 3;

/** The cause of a recreate: its changes, or the hash when the old configuration was not recorded (an older tscompose, docker compose). */
export function changesCause(changes: readonly ConfigChange[]): string {
  if (changes.length === 0) return 'config hash changed';
  const shown = changes.slice(0, CHANGES_IN_CAUSE).map(formatChange).join('; ');
  return changes.length > CHANGES_IN_CAUSE ? `${shown}; and ${changes.length - CHANGES_IN_CAUSE} more` : shown;
}
