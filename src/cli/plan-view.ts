import { colors } from './colors.js';
import { formatChange, formatOperations, UsageError, type Plan, type PlannedContainer, type PublishedPort } from '../usecases/index.js';
import type { ParsedOptions } from './args.js';
import { formatTable } from './table.js';
import { writeJson } from './json-out.js';

const ACTION_COLOR: Record<string, 'green' | 'yellow' | 'red' | 'dim' | 'cyan'> = {
  create: 'green',
  recreate: 'yellow',
  remove: 'red',
  keep: 'dim',
  external: 'cyan',
  pull: 'green',
  build: 'green',
};

function action(text: string): string {
  const color = ACTION_COLOR[text];
  return color ? colors()[color](text) : text;
}

function attachmentsText(container: PlannedContainer): string {
  if (container.networks.length === 0) return `network_mode ${container.request.HostConfig.NetworkMode}`;
  return container.networks.map((attachment) => `${attachment.network} (${attachment.aliases.join(', ')})${attachment.via === 'connect' ? ' +connect' : ''}`).join('; ');
}

/** A published port both ways: from the host, and from inside the project network. */
export function portText(port: PublishedPort): string {
  const inside = port.fromNetwork.length > 0 ? ` | ${port.fromNetwork.join(', ')}` : '';
  return `${port.fromHost} -> ${port.containerPort}/${port.protocol}${inside}`;
}

/** What `up --dry-run` and `plan` print: networks, images, then one row per container, then the operations. */
export function renderPlan(plan: Plan): string {
  const sections: string[] = [];
  sections.push(colors().bold(`Plan for project ${plan.project}`) + colors().dim(` (Engine API ${plan.apiVersion}, ${plan.observed ? 'compared with the engine' : 'no engine: planned from empty state'})`));
  // A plan of stop, rm… acts on existing containers only: no empty tables for it.
  if (plan.networks.length > 0) sections.push(
    formatTable(
      ['NETWORK', 'DRIVER', 'SUBNET', 'ACTION', 'CAUSE'],
      plan.networks.map((network) => [network.name + (network.internal ? ' (internal)' : ''), network.driver, network.subnets.join(', ') || '-', action(network.action), network.cause]),
    ),
  );
  if (plan.volumes.length > 0) {
    sections.push(formatTable(['VOLUME', 'ACTION', 'CAUSE'], plan.volumes.map((volume) => [volume.name, action(volume.action), volume.cause])));
  }
  if (plan.images.length > 0) {
    sections.push(formatTable(['IMAGE', 'SERVICES', 'ACTION', 'CAUSE'], plan.images.map((image) => [image.name, image.services.join(', '), action(image.action), image.cause])));
  }
  if (plan.containers.length + plan.removals.length > 0) sections.push(
    formatTable(
      ['CONTAINER', 'SERVICE', 'ACTION', 'NETWORKS (ALIASES)', 'PORTS (HOST | PROJECT NETWORK)'],
      [
        ...plan.containers.map((container) => [container.name, container.service, action(container.action), attachmentsText(container), container.ports.map(portText).join('; ') || '-']),
        ...plan.removals.map((container) => [container.name, container.service, action(container.action), `(${container.cause})`, '-']),
      ],
    ),
  );
  // Every change of each recreate, one per line: the cause shows at most three.
  const changed = [...plan.networks.map((network) => ({ name: `network ${network.name}`, changes: network.changes })), ...plan.containers];
  const changeRows = changed.flatMap(({ name, changes }) => (changes ?? []).map((change, index) => [index === 0 ? name : '', formatChange(change)]));
  if (changeRows.length > 0) sections.push(colors().bold('Recreated because') + '\n' + formatTable(['RESOURCE', 'CHANGE'], changeRows));
  if (plan.conflicts.length > 0) {
    sections.push(colors().red.bold('Conflicts (nothing will be created):') + '\n' + plan.conflicts.map((conflict) => `  ${colors().red('✘')} ${conflict.message}`).join('\n'));
  } else {
    sections.push(colors().bold('Operations') + '\n' + (plan.operations.length > 0 ? formatOperations(plan.operations) : colors().dim('none: everything is up to date')));
  }
  for (const warning of plan.warnings) sections.push(`${colors().yellow('warning:')} ${warning}`);
  return sections.join('\n\n') + '\n';
}

export type PlanFormat = 'table' | 'json';

/** `--format` of a command that prints a plan. */
export function planFormatOf(options: ParsedOptions): PlanFormat {
  const format = (options.format as string | undefined) ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`unknown format "${format}"`, { hint: 'use --format table or --format json' });
  return format;
}

/** A plan as `plan`, `up --dry-run` and `down --dry-run` print it: the table, or the plan JSON. */
export async function printPlan(plan: Plan, format: PlanFormat, stdout: NodeJS.WritableStream): Promise<void> {
  if (format === 'json') await writeJson(plan, stdout);
  else stdout.write(renderPlan(plan));
}
