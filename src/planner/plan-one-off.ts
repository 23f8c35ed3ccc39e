import type { ComposeProject } from '../loader/model.js';
import { containerSpec, serviceConfigRecord, serviceContainerNames } from './container-spec.js';
import { LABEL } from './labels.js';
import { OperationGraph } from './operation-graph.js';
import type { ContainerCreateRequest, EndpointSettings, Operation } from './types.js';

export interface OneOffOptions {
  /** The command; default: the service's. */
  command?: readonly string[];
  /** Variables added to the service's environment. */
  env?: Readonly<Record<string, string>>;
  user?: string;
  workdir?: string;
  /** The API version the requests are for. */
  apiVersion: string;
  /** What makes the name unique (`<project>-<service>-run-<suffix>`): the caller's random hex, so planning stays pure. */
  suffix: string;
}

export interface OneOffPlan {
  /** The one-off container's name. */
  container: string;
  /** Its create call, then a connect for each network the create call cannot hold (API below 1.44). */
  operations: Operation[];
  /** Its removal with its anonymous volumes (`run --rm`), once it has exited. */
  removal: Operation[];
}

/**
 * A one-off container of a service, as `docker compose run` makes it: the service's
 * configuration with the command (and variables, user, directory) given, labelled one-off, no
 * published ports, no restart policy and no network aliases, so that it neither takes the
 * service's host ports nor answers for the service by name.
 */
export function planOneOff(project: ComposeProject, serviceName: string, options: OneOffOptions): OneOffPlan {
  const service = project.services[serviceName]!;
  const spec = containerSpec(service, 1, serviceConfigRecord(service), { project, apiVersion: options.apiVersion, containerNames: serviceContainerNames(project) });
  const name = `${project.name}-${service.name}-run-${options.suffix}`;
  const { PortBindings: _published, RestartPolicy: _restart, ...hostConfig } = spec.request.HostConfig;
  const request: ContainerCreateRequest = {
    ...spec.request,
    ...(options.command ? { Cmd: [...options.command] } : {}),
    Env: [...spec.request.Env, ...Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`)],
    ...(options.user ? { User: options.user } : {}),
    ...(options.workdir ? { WorkingDir: options.workdir } : {}),
    Tty: false,
    OpenStdin: false,
    Labels: { ...spec.request.Labels, [LABEL.oneoff]: 'True' },
    HostConfig: { ...hostConfig, PortBindings: {}, PublishAllPorts: false },
    NetworkingConfig: { EndpointsConfig: Object.fromEntries(Object.entries(spec.request.NetworkingConfig.EndpointsConfig).map(([network, endpoint]) => [network, withoutAliases(endpoint)])) },
  };
  const graph = new OperationGraph();
  const created = graph.add({ kind: 'CreateContainer', container: name, body: request, cause: 'run' });
  for (const attachment of spec.networks.filter((each) => each.via === 'connect')) {
    graph.add({ kind: 'ConnectNetwork', network: attachment.networkName, container: name, body: { Container: name, EndpointConfig: withoutAliases(attachment.endpoint) }, cause: 'run', after: [created] });
  }
  const removal = new OperationGraph();
  removal.add({ kind: 'RemoveContainer', container: name, removeVolumes: true, cause: 'run --rm' });
  return { container: name, operations: graph.operations, removal: removal.operations };
}

function withoutAliases(endpoint: EndpointSettings): EndpointSettings {
  const { Aliases: _aliases, ...rest } = endpoint;
  return rest;
}
