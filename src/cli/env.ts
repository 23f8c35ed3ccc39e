import { ENV_FORMATS, env, formatEnv, loadProjectOrName, UsageError, type EnvFormat } from '../usecases/index.js';
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
  stdout.write(formatEnv(await env({ ...loadOptions, project: target.project, services: positionals }), format));
  return 0;
}
