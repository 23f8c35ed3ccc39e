import type { EngineConnection } from '../engine/client.js';
import * as swarm from '../engine/swarm.js';
import { STACK_IMAGE_LABEL, type StackOperation, type StackOperationOf } from '../planner/swarm/types.js';

/** What every stack operation function gets besides its operation. */
interface Call {
  connection: EngineConnection;
  /** X-Registry-Auth by image, for --with-registry-auth. */
  registryAuth?: ReadonlyMap<string, string>;
}

/** Carries out one stack operation: one small function per kind, handing its typed fields to the engine, no decisions. */
export function runStackOperation(operation: StackOperation, call: Call): Promise<void> {
  switch (operation.kind) {
    case 'CreateNetwork':
      return createNetwork(operation, call);
    case 'RemoveNetwork':
      return removeNetwork(operation, call);
    case 'CreateSecret':
      return createSecret(operation, call);
    case 'RemoveSecret':
      return removeSecret(operation, call);
    case 'CreateConfig':
      return createConfig(operation, call);
    case 'RemoveConfig':
      return removeConfig(operation, call);
    case 'CreateService':
      return createService(operation, call);
    case 'UpdateService':
      return updateService(operation, call);
    case 'RemoveService':
      return removeService(operation, call);
  }
}

// Keyed by the image as the file names it: a resolved image carries a digest.
const authOf = (op: StackOperationOf<'CreateService' | 'UpdateService'>, { registryAuth }: Call) => registryAuth?.get(op.body.Labels[STACK_IMAGE_LABEL]!);
const createNetwork = (op: StackOperationOf<'CreateNetwork'>, { connection }: Call) => swarm.createSwarmNetwork(connection, op.body);
const removeNetwork = (op: StackOperationOf<'RemoveNetwork'>, { connection }: Call) => swarm.removeSwarmNetwork(connection, op.engineId);
const createSecret = (op: StackOperationOf<'CreateSecret'>, { connection }: Call) => swarm.createSecret(connection, op.body);
const removeSecret = (op: StackOperationOf<'RemoveSecret'>, { connection }: Call) => swarm.removeSecret(connection, op.engineId);
const createConfig = (op: StackOperationOf<'CreateConfig'>, { connection }: Call) => swarm.createConfig(connection, op.body);
const removeConfig = (op: StackOperationOf<'RemoveConfig'>, { connection }: Call) => swarm.removeConfig(connection, op.engineId);
const createService = (op: StackOperationOf<'CreateService'>, call: Call) => swarm.createService(call.connection, op.body, authOf(op, call));
const updateService = (op: StackOperationOf<'UpdateService'>, call: Call) => swarm.updateService(call.connection, op.engineId, op.version, op.body, authOf(op, call));
const removeService = (op: StackOperationOf<'RemoveService'>, { connection }: Call) => swarm.removeService(connection, op.engineId);
