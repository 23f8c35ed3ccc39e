import type { Operation } from './types.js';

/** An operation as the planner describes it: the graph gives it its id, resource and dependencies. */
export type OperationInput = Omit<Operation, 'id' | 'resource' | 'dependsOn'> & {
  /** Operations that must be done first; undefined entries (nothing to wait for) are skipped. */
  after?: (number | undefined)[];
};

/** Builds the DAG of operations; ids are positions, so every dependency is an earlier operation. */
export class OperationGraph {
  readonly operations: Operation[] = [];

  add(input: OperationInput): number {
    const id = this.operations.length + 1;
    const dependsOn = [...new Set((input.after ?? []).filter((dep): dep is number => dep !== undefined))].sort((a, b) => a - b);
    const resource = resourceOf(input);
    this.operations.push({
      id,
      kind: input.kind,
      resource,
      dependsOn,
      cause: input.cause,
      ...(input.network !== undefined ? { network: input.network } : {}),
      ...(input.container !== undefined ? { container: input.container } : {}),
      ...(input.volume !== undefined ? { volume: input.volume } : {}),
      ...(input.image !== undefined ? { image: input.image } : {}),
      ...(input.body !== undefined ? { body: input.body } : {}),
      ...(input.condition !== undefined ? { condition: input.condition } : {}),
      ...(input.optional ? { optional: true } : {}),
      ...(input.timeout !== undefined ? { timeout: input.timeout } : {}),
      ...(input.removeVolumes ? { removeVolumes: true } : {}),
    });
    return id;
  }
}

/** What an operation acts on: connect and disconnect act on the container. */
function resourceOf(input: OperationInput): string {
  if (input.kind === 'CreateVolume' || input.kind === 'RemoveVolume') return `volume:${input.volume}`;
  if (input.kind === 'PullImage' || input.kind === 'BuildImage' || input.kind === 'RemoveImage') return `image:${input.image}`;
  if (input.kind === 'CreateNetwork' || input.kind === 'RemoveNetwork') return `network:${input.network}`;
  return `container:${input.container}`;
}

/** One line per operation, as golden tests compare: `[3] -> #1 #2 container:demo-web-1, CreateContainer, not found`. */
export function formatOperations(operations: readonly Operation[]): string {
  return operations
    .map((op) => {
      const deps = op.dependsOn.length > 0 ? ` ${op.dependsOn.map((id) => `#${id}`).join(' ')}` : '';
      const target = op.kind === 'ConnectNetwork' || op.kind === 'DisconnectNetwork' ? `${op.resource} network:${op.network}` : op.resource;
      const condition = op.condition ? ` (${op.condition}${op.optional ? ', optional' : ''})` : '';
      return `[${op.id}] ->${deps} ${target}, ${op.kind}${condition}, ${op.cause}`;
    })
    .join('\n');
}
