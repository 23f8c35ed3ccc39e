import { load, toComposeJson, toComposeYaml, UsageError } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';
import { writeJson } from './json-out.js';

export const CONFIG_OPTIONS: OptionSpec[] = [
  { name: 'format', value: true, placeholder: 'yaml|json', description: 'Output format (default: yaml)' },
  { name: 'services', description: 'Print the service names, one per line' },
  { name: 'networks', description: 'Print the network keys, one per line' },
  { name: 'volumes', description: 'Print the volume keys, one per line' },
  { name: 'profiles', description: 'Print the profile names, one per line' },
  { name: 'quiet', short: 'q', description: 'Only validate; print nothing but problems' },
  { name: 'no-consistency', description: 'Skip the checks that the project can run: image or build, defined volumes, secrets and configs, their files, build contexts, unshared container names' },
];

/** `tscompose config`: the normalized model, or just the verdict with -q. */
export async function configCommand({ global, options, stdout, stderr }: CommandContext): Promise<number> {
  const format = (options.format as string | undefined) ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`unknown format "${format}"`, { hint: 'use --format yaml or --format json' });
  const { project, warnings } = load({ ...loadOptionsFrom(global), consistency: !options['no-consistency'] });
  for (const warning of warnings) warn({ global, stderr }, warning);
  if (options.quiet) return 0;
  const lists: [string, () => string[]][] = [
    ['services', () => Object.keys(project.services)],
    ['networks', () => Object.keys(project.networks)],
    ['volumes', () => Object.keys(project.volumes)],
    ['profiles', () => project.profiles],
  ];
  for (const [flag, names] of lists) {
    if (options[flag]) {
      const list = names();
      stdout.write(list.length > 0 ? list.join('\n') + '\n' : '');
      return 0;
    }
  }
  const json = toComposeJson(project);
  if (format === 'json') await writeJson(json, stdout);
  else stdout.write(toComposeYaml(json));
  return 0;
}
