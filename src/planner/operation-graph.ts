import { sortInPlace } from './sort.js';
import type { Operation, OperationBodies, OperationKind } from './types.js';

/** An operation as the planner describes it: the graph gives it its id, resource and dependencies. */
export type OperationInput = {
  [K in OperationKind]: { kind: K; cause: string; after?: (number | undefined)[] } & Omit<OperationBodies[K], 'optional'> &
    // The planner passes `optional: false` for a required dependency; the plan leaves it out.
    (K extends 'WaitContainer' ? { optional?: boolean } : unknown);
}[OperationKind];

/**
 * Builds the DAG of operations. `add` returns the operation's position, the handle that later
 * `after` lists name, so every dependency is an earlier operation; in the plan each operation
 * carries a stable id made of what it does and to what.
 */
export class OperationGraph {
  readonly operations: Operation[] = [];
  private readonly taken = new Set<string>();

  add(input: OperationInput): number {
    // Built once, in the order the JSON form lists: id, kind, resource, dependsOn, cause, then the kind's own fields as given.
    const operation = { id: '', kind: input.kind, resource: '', dependsOn: this.dependencyIds(input.after), cause: input.cause } as Operation & Record<string, unknown>;
    for (const key in input) if (key !== 'after' && key !== 'optional') operation[key] = input[key as keyof OperationInput];
    if ((input as { optional?: boolean }).optional) operation.optional = true;
    operation.id = this.uniqueId(operationId(operation));
    operation.resource = resourceOf(operation);
    this.operations.push(operation);
    return this.operations.length;
  }

  /** The ids of the operations at these positions, each once, in the order they were added; undefined (nothing to wait for) is skipped. */
  private dependencyIds(after: readonly (number | undefined)[] | undefined): string[] {
    if (after === undefined) return [];
    const positions = sortInPlace(after.filter((position): position is number => position !== undefined), (a, b) => a - b);
    const ids: string[] = [];
    for (let index = 0; index < positions.length; index++) {
      if (index === 0 || positions[index] !== positions[index - 1]) ids.push(this.operations[positions[index]! - 1]!.id);
    }
    return ids;
  }

  /** The same call twice on one resource (a container on two recreated networks is stopped for each) gets `:2`, `:3`…, still the same in every run. */
  private uniqueId(id: string): string {
    let unique = id;
    for (let n = 2; this.taken.has(unique); n++) unique = `${id}:${n}`;
    this.taken.add(unique);
    return unique;
  }
}

const kebabKinds = new Map<OperationKind, string>();

/** `CreateContainer` → `create-container`. */
function kebab(kind: OperationKind): string {
  let kebabKind = kebabKinds.get(kind);
  if (kebabKind === undefined) {
    kebabKind = kind.replace(/[a-z][A-Z]/g, (pair) => `${pair[0]}-${pair[1]}`).toLowerCase();
    kebabKinds.set(kind, kebabKind);
  }
  return kebabKind;
}

/** What the call does and to which resource: `create-container:demo-web-1`, `connect-network:demo-web-1:demo_back`, `wait-container:demo-db-1:healthy`. */
function operationId(operation: Operation): string {
  const kind = kebab(operation.kind);
  switch (operation.kind) {
    case 'ConnectNetwork':
    case 'DisconnectNetwork':
      return `${kind}:${operation.container}:${operation.network}`;
    case 'WaitContainer':
      return `${kind}:${operation.container}:${operation.condition}${operation.optional ? ':optional' : ''}`;
    case 'CopyToContainer':
      return `${kind}:${operation.container}:${operation.file.target}`;
    case 'CreateNetwork':
    case 'RemoveNetwork':
      return `${kind}:${operation.network}`;
    case 'CreateVolume':
    case 'RemoveVolume':
      return `${kind}:${operation.volume}`;
    case 'PullImage':
    case 'BuildImage':
    case 'RemoveImage':
      return `${kind}:${operation.image}`;
    default:
      return `${kind}:${operation.container}`;
  }
}

/** What an operation acts on: connect and disconnect act on the container. */
function resourceOf(operation: Operation): string {
  if ('volume' in operation) return `volume:${operation.volume}`;
  if ('image' in operation) return `image:${operation.image}`;
  if ('container' in operation) return `container:${operation.container}`;
  return `network:${operation.network}`;
}

/** One line per operation, as golden tests compare: `create-container:demo-web-1 <- create-network:demo_default, not found`. */
export function formatOperations(operations: readonly Operation[]): string {
  return operations
    .map((op) => {
      const deps = op.dependsOn.length > 0 ? ` <- ${op.dependsOn.join(' ')}` : '';
      return `${op.id}${deps}, ${op.cause}`;
    })
    .join('\n');
}
