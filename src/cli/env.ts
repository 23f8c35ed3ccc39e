import { ENV_FORMATS, env, formatEnv, loadProjectOrName, UsageError, type EnvFormat, type ProjectEnv } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';

export const ENV_OPTIONS: OptionSpec[] = [{ name: 'format', value: true, placeholder: 'dotenv|github|json', description: 'Output format (default: dotenv; github: lines for $GITHUB_ENV)' }];

/** `--format` of env (and of `up --print-env`), checked. */
export function envFormatOf(value: unknown): EnvFormat {
  const format = (value as string | undefined) ?? 'dotenv';
  if (!ENV_FORMATS.includes(format as EnvFormat)) throw new UsageError(`unknown format "${format}"`, { hint: `use one of ${ENV_FORMATS.join(', ')}` });
  return format as EnvFormat;
}

/** `env`: where each published port of the running containers is reachable from this machine, as link variables. */
export async function envCommand({ global, options, positionals, stdout, stderr }: CommandContext): Promise<number> {
  const format = envFormatOf(options.format);
  const loadOptions = loadOptionsFrom(global);
  const target = loadProjectOrName(loadOptions);
  for (const warning of target.warnings) warn({ global, stderr }, warning);
  const result = await env({ ...loadOptions, project: target.project, services: positionals });
  for (const note of silentServices(result, positionals)) warn({ global, stderr }, { message: note });
  stdout.write(formatEnv(result, format));
  return 0;
}

/** Why nothing is printed for a service asked for (or for the whole project): it publishes no port, so it has no variables. */
export function silentServices(result: ProjectEnv, services: readonly string[]): string[] {
  const published = new Set(result.endpoints.map((endpoint) => endpoint.service));
  if (services.length === 0) return published.size === 0 ? [`no running container of project "${result.project}" publishes a port: there are no variables to print`] : [];
  return services.filter((service) => !published.has(service)).map((service) => `service "${service}" publishes no port: it has no variables (add ports: to it to reach it from this machine)`);
}
