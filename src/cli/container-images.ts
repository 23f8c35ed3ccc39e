import { images, UsageError } from '../usecases/index.js';
import type { OptionSpec } from './args.js';
import { loadOptionsFrom, type CommandContext } from './global-options.js';
import { formatTable } from './table.js';

export const IMAGES_OPTIONS: OptionSpec[] = [
  { name: 'format', value: true, placeholder: 'table|json', description: 'Output format (default: table)' },
  { name: 'quiet', short: 'q', description: 'Only the image ids' },
];

/** `images [SERVICE...]`: the image of each of the project's containers. */
export async function imagesCommand({ global, options, positionals, stdout }: CommandContext): Promise<number> {
  const format = (options.format as string | undefined) ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`unknown format "${format}"`, { hint: 'use --format table or --format json' });
  const listed = await images({ ...loadOptionsFrom(global), services: positionals });
  if (options.quiet) stdout.write([...new Set(listed.map((image) => image.id))].map((id) => `${id}\n`).join(''));
  else if (format === 'json') stdout.write(JSON.stringify(listed.map((image) => ({ ContainerName: image.container, Repository: image.repository, Tag: image.tag, ID: image.id, Size: image.size }))) + '\n');
  else stdout.write(formatTable(['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'], listed.map((image) => [image.container, image.repository, image.tag, image.id.replace(/^sha256:/, '').slice(0, 12), `${(image.size / 1e6).toFixed(1)}MB`])) + '\n');
  return 0;
}
