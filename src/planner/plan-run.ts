import type { ComposeProject, ServiceConfig } from '../loader/model.js';
import { writtenFiles } from './container-files.js';
import { containerSpec, specContext } from './container-spec.js';
import { LABEL } from './labels.js';
import { plan } from './plan.js';
import type { ContainerCreateRequest, EndpointSettings, ObservedState, Operation, Plan, PlanOptions, PlannedContainer } from './types.js';

export interface RunPlanOptions extends Pick<PlanOptions, 'pull' | 'build' | 'noBuild' | 'apiVersion'> {
  /** The service as the one-off runs it: the file's, with run's overrides (command, entrypoint, env, user, ports…) applied. */
  oneOff: ServiceConfig;
  /** Name of the one-off container: `<project>-<service>-run-<id>` or `--name`. */
  name: string;
  /** `--no-deps`: start none of the services it depends on. */
  noDeps?: boolean;
  /** `--use-aliases`: the service's network aliases on the one-off too. */
  useAliases?: boolean;
  /** `--rm`: the engine removes it when it exits. */
  autoRemove?: boolean;
  /** Attach stdin (interactive) and/or a tty. */
  interactive?: boolean;
  tty?: boolean;
}

/**
 * Plans `run`: what `up` of the service's dependencies does (through `plan`, the function `up`
 * plans with: their networks, volumes, images, containers and waits), without the service's own
 * containers, then the one-off container: created, connected, started once its dependencies are.
 * Pure, as `plan`.
 */
export function planRun(project: ComposeProject, observed: ObservedState | undefined, options: RunPlanOptions): Plan {
  const service = options.oneOff.name;
  const base = plan(project, observed, { services: [service], pull: options.pull, build: options.build, noBuild: options.noBuild, apiVersion: options.apiVersion });
  if (base.conflicts.length > 0) return base;
  const dependencies = new Set(options.noDeps ? [] : base.containers.filter((container) => container.service !== service).map((container) => container.name));
  const kept = base.operations.filter((operation) => !operation.resource.startsWith('container:') || dependencies.has(operation.resource.slice('container:'.length)));
  const keptIds = new Set(kept.map((operation) => operation.id));
  const operations: Operation[] = kept.map((operation) => ({ ...operation, dependsOn: operation.dependsOn.filter((id) => keptIds.has(id)) }));

  const spec = oneOffContainer(project, base, options);
  const leaves = operations.filter((operation) => !operations.some((other) => other.dependsOn.includes(operation.id))).map((operation) => operation.id);
  const resource = `container:${spec.name}`;
  const created: Operation = { id: `create-container:${spec.name}`, kind: 'CreateContainer', resource, dependsOn: leaves, cause: 'run', container: spec.name, body: spec.request };
  const connected: Operation[] = spec.networks
    .filter((attachment) => attachment.via === 'connect')
    .map((attachment) => ({ id: `connect-network:${spec.name}:${attachment.networkName}`, kind: 'ConnectNetwork', resource, dependsOn: [created.id], cause: 'run', network: attachment.networkName, container: spec.name, body: { Container: spec.name, EndpointConfig: attachment.endpoint } }));
  const copied: Operation[] = writtenFiles(options.oneOff, project).map((file) => ({ id: `copy-to-container:${spec.name}:${file.target}`, kind: 'CopyToContainer', resource, dependsOn: [created.id], cause: `${file.from} ${file.name}, written before start`, container: spec.name, file }));
  const started: Operation = { id: `start-container:${spec.name}`, kind: 'StartContainer', resource, dependsOn: [created.id, ...connected.map((operation) => operation.id), ...copied.map((operation) => operation.id)], cause: 'run', container: spec.name };
  return {
    ...base,
    containers: [...base.containers.filter((container) => dependencies.has(container.name)), spec],
    removals: [],
    operations: [...operations, created, ...connected, ...copied, started],
  };
}

/** The one-off's container: the service's replica spec, labelled one-off, with run's name and settings. */
function oneOffContainer(project: ComposeProject, base: Plan, options: RunPlanOptions): PlannedContainer {
  const containerNames = new Map(base.containers.map((container) => [container.service, [container.name]]));
  const context = specContext(project, base.apiVersion, containerNames);
  const spec = containerSpec({ ...options.oneOff, restart: undefined }, 1, { hash: '', recorded: '' }, context);
  const endpoint = (settings: EndpointSettings): EndpointSettings => {
    // A fixed address or MAC belongs to the service's own container; aliases only with --use-aliases.
    const { Aliases, IPAMConfig: _address, MacAddress: _mac, ...rest } = settings;
    return { ...rest, ...(options.useAliases && Aliases ? { Aliases } : {}) };
  };
  // A one-off is never compared with the file: it carries no configuration record.
  const labels: Record<string, string> = { ...spec.request.Labels, [LABEL.oneoff]: 'True' };
  delete labels[LABEL.configHash];
  delete labels[LABEL.config];
  const request: ContainerCreateRequest = {
    ...spec.request,
    Labels: labels,
    ...(options.tty ? { Tty: true } : {}),
    ...(options.interactive ? { OpenStdin: true, AttachStdin: true, StdinOnce: true } : {}),
    HostConfig: { ...spec.request.HostConfig, RestartPolicy: { Name: 'no' }, ...(options.autoRemove ? { AutoRemove: true } : {}) },
    NetworkingConfig: { EndpointsConfig: Object.fromEntries(Object.entries(spec.request.NetworkingConfig.EndpointsConfig).map(([network, settings]) => [network, endpoint(settings)])) },
  };
  delete request.MacAddress;
  return {
    ...spec,
    name: options.name,
    request,
    networks: spec.networks.map((attachment) => ({ ...attachment, aliases: options.useAliases ? attachment.aliases : [], endpoint: endpoint(attachment.endpoint) })),
    action: 'create',
    cause: 'run',
    configHash: '',
  };
}
