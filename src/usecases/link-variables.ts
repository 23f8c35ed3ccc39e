import { TscomposeError } from '../errors.js';
import type { Endpoint } from './endpoints.js';

/** Two services (or a service and another's replica) would give the same variable names. */
export class VariableNameClashError extends TscomposeError {}

/**
 * The endpoints as Docker's legacy link variables, uppercased: for service `db` and port
 * 5432/tcp, `DB_PORT_5432_TCP=tcp://127.0.0.1:8001`, `…_ADDR`, `…_PORT`, `…_PROTO`, and
 * `DB_PORT` for the first port. Replica 1 gets the plain names; replica N > 1 gets
 * `DB_N_PORT…`, as the `db_N` links of compose v1 did.
 */
export function linkVariables(endpoints: readonly Endpoint[]): Record<string, string> {
  const variables: Record<string, string> = {};
  /** Prefix → the container it names, so that a second one with the same prefix is caught. */
  const owners = new Map<string, string>();
  for (const endpoint of endpoints) {
    const prefix = variablePrefix(endpoint.service, endpoint.number);
    const url = `${endpoint.protocol}://${endpoint.address}`;
    const owner = owners.get(prefix);
    if (owner === undefined) {
      owners.set(prefix, endpoint.container);
      variables[`${prefix}_PORT`] = url;
    } else if (owner !== endpoint.container) {
      throw new VariableNameClashError(`containers ${owner} and ${endpoint.container} would both be named ${prefix}_… in the variables`, {
        hint: `service names differ only in '-', '.' or case, or a service name ends like a replica number; ask for one at a time (tscompose env ${endpoint.service}), or rename one`,
      });
    }
    const port = `${prefix}_PORT_${endpoint.containerPort}_${endpoint.protocol.toUpperCase()}`;
    variables[port] = url;
    variables[`${port}_ADDR`] = endpoint.host;
    variables[`${port}_PORT`] = String(endpoint.hostPort);
    variables[`${port}_PROTO`] = endpoint.protocol;
  }
  return variables;
}

/**
 * `my-db.v2` → `MY_DB_V2`; replica 3 → `MY_DB_V2_3`. A name that would start with a digit gets
 * a leading underscore, as a shell variable cannot start with one.
 */
export function variablePrefix(service: string, number = 1): string {
  const name = service.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  const prefix = /^[0-9]/.test(name) ? `_${name}` : name;
  return number === 1 ? prefix : `${prefix}_${number}`;
}
