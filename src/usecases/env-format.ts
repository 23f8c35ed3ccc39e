import type { ProjectEnv } from './endpoints.js';

/** How `env` prints: a `.env` file, lines for `$GITHUB_ENV`, or JSON (docs/json-output.md). */
export type EnvFormat = 'dotenv' | 'github' | 'json';

export const ENV_FORMATS: readonly EnvFormat[] = ['dotenv', 'github', 'json'];

/** The project's endpoints as text in a format; every line ends with a newline. */
export function formatEnv(env: ProjectEnv, format: EnvFormat): string {
  if (format === 'json') return JSON.stringify({ project: env.project, endpoints: env.endpoints, variables: env.variables }, null, 2) + '\n';
  const line = format === 'github' ? githubLine : dotenvLine;
  return Object.entries(env.variables)
    .map(([name, value]) => line(name, value) + '\n')
    .join('');
}

/**
 * `NAME=value`, quoted only when needed so that the file reads the same in docker compose's
 * `env_file`, dotenv libraries and a shell's `set -a; . ./.env`: single quotes keep everything
 * literal; a value holding a single quote or a newline goes in double quotes with escapes.
 */
export function dotenvLine(name: string, value: string): string {
  if (/^[\w@%+=:,./-]*$/.test(value)) return `${name}=${value}`;
  if (!/['\n\r]/.test(value)) return `${name}='${value}'`;
  const escaped = value.replace(/[\\"$`]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  return `${name}="${escaped}"`;
}

/**
 * A line for `$GITHUB_ENV`, which takes `NAME=value` literally (quotes would be part of the
 * value); a value with a newline needs its heredoc form, `NAME<<DELIMITER`.
 */
export function githubLine(name: string, value: string): string {
  if (!/[\r\n]/.test(value)) return `${name}=${value}`;
  let delimiter = 'TSCOMPOSE_EOF';
  while (value.includes(delimiter)) delimiter += '_';
  return `${name}<<${delimiter}\n${value}\n${delimiter}`;
}
