import { build, load, pull, redactSecrets, type ImageWorkResult } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext, warn } from './global-options.js';
import { progressRenderer } from './progress-option.js';

export const PULL_OPTIONS: OptionSpec[] = [
  { name: 'quiet', short: 'q', description: 'Show no progress, only errors' },
  { name: 'ignore-pull-failures', description: 'Pull what can be pulled; report the rest as warnings and exit 0' },
];

export const BUILD_OPTIONS: OptionSpec[] = [
  { name: 'no-cache', description: 'Do not use the build cache' },
  { name: 'pull', description: 'Always pull newer versions of the base images' },
  { name: 'quiet', short: 'q', description: 'Show no build output, only errors' },
];

/** `pull`: pulls the images of the services (all when none are named), concurrently. */
export async function pullCommand(context: CommandContext): Promise<number> {
  const { options } = context;
  return runImageCommand(context, Boolean(options.quiet), (common) => pull({ ...common, ignorePullFailures: Boolean(options['ignore-pull-failures']) }));
}

/** `build`: builds the images of services with a build: section, without starting anything. */
export async function buildCommand(context: CommandContext): Promise<number> {
  const { options } = context;
  return runImageCommand(context, Boolean(options.quiet), (common) => build({ ...common, noCache: Boolean(options['no-cache']), pull: Boolean(options.pull) }));
}

type CommonOptions = Parameters<typeof pull>[0] & Parameters<typeof build>[0];

async function runImageCommand({ global, positionals, stderr, status }: CommandContext, quiet: boolean, run: (common: CommonOptions) => Promise<ImageWorkResult>): Promise<number> {
  const { project, warnings } = load({ ...loadOptionsFrom(global), services: positionals });
  for (const warning of warnings) warn({ global, stderr }, warning);
  const renderer = await progressRenderer(quiet ? { ...global, progress: 'quiet' } : global, status);
  try {
    const result = await run({ project, services: positionals, onProgress: (event) => renderer.event(event) });
    renderer.close();
    for (const failure of result.failures) warn({ global, stderr }, { message: `${failure.image} was not pulled (ignored): ${redactSecrets(failure.error.message)}` });
    return 0;
  } finally {
    renderer.close();
  }
}
