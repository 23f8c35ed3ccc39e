import { load, type LoadOptions } from '../../src/loader/index.js';
import type { ComposeProject } from '../../src/loader/index.js';
import { formatChange, formatOperations, plan, type ObservedContainer, type ObservedState, type Plan, type PlanOptions } from '../../src/planner/index.js';
import { fixture } from './fixtures.js';
import { assertValidPlan } from './plan-schema.js';

export function loadFixtureProject(name: string, options: LoadOptions = {}): ComposeProject {
  return load({ workingDir: fixture('valid', name), environment: {}, ...options }).project;
}

/** Plans and checks the result against schemas/plan.schema.json, as every test's plan must pass. */
export function checkedPlan(project: ComposeProject, observed?: ObservedState, options?: PlanOptions): Plan {
  const result = plan(project, observed, options);
  assertValidPlan(JSON.parse(JSON.stringify(result)));
  return result;
}

/** The plan as golden text: networks, each container in Engine API terms, then the operations. */
export function describePlan(result: Plan): string {
  const lines = [`project ${result.project} api ${result.apiVersion}`];
  for (const network of result.networks) {
    lines.push(`network ${network.name} [${network.action}: ${network.cause}] driver=${network.driver}${network.subnets.length ? ` subnets=${network.subnets.join(',')}` : ''}${network.internal ? ' internal' : ''}`);
    for (const change of network.changes ?? []) lines.push(`  change ${formatChange(change)}`);
  }
  for (const image of result.images) lines.push(`image ${image.name} [${image.action}: ${image.cause}] services=${image.services.join(',')}`);
  for (const container of result.containers) {
    const { request } = container;
    const host = request.HostConfig;
    lines.push(`container ${container.name} [${container.action}: ${container.cause}] image=${request.Image} NetworkMode=${host.NetworkMode}`);
    for (const change of container.changes ?? []) lines.push(`  change ${formatChange(change)}`);
    for (const attachment of container.networks) {
      const address = [attachment.ipv4Address, attachment.ipv6Address].filter(Boolean).join(',');
      const links = attachment.endpoint.Links?.length ? ` links=${attachment.endpoint.Links.join(',')}` : '';
      lines.push(`  ${attachment.via} ${attachment.networkName} aliases=${attachment.aliases.join(',')}${address ? ` ip=${address}` : ''} priority=${attachment.priority}${links}`);
    }
    for (const port of container.ports) lines.push(`  port host=${port.fromHost} -> ${port.containerPort}/${port.protocol} network=${port.fromNetwork.join(',') || '-'}`);
    const bindings = Object.entries(host.PortBindings).map(([port, list]) => `${port}=${list.map((b) => `${b.HostIp}:${b.HostPort}`).join('|')}`);
    if (bindings.length) lines.push(`  PortBindings ${bindings.join(' ')}`);
    if (Object.keys(request.ExposedPorts).length) lines.push(`  ExposedPorts ${Object.keys(request.ExposedPorts).join(' ')}`);
    for (const key of ['Links', 'Dns', 'DnsSearch', 'DnsOptions', 'ExtraHosts'] as const) if (host[key].length) lines.push(`  ${key} ${host[key].join(' ')}`);
    if (request.Hostname || request.Domainname) lines.push(`  Hostname ${request.Hostname ?? ''} Domainname ${request.Domainname ?? ''}`);
    if (container.dependsOn.length) lines.push(`  depends_on ${container.dependsOn.map((d) => `${d.service}:${d.condition}`).join(' ')}`);
  }
  lines.push('operations:', formatOperations(result.operations) || '(none)');
  for (const conflict of result.conflicts) lines.push(`conflict ${conflict.kind}: ${conflict.message}`);
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n') + '\n';
}

/** The engine's state after a plan has been applied: every container running with its labels, every network with its labels. */
export function observedAfter(result: Plan, containerState: Partial<ObservedContainer> = {}): ObservedState {
  const ids = new Map(result.containers.map((container) => [container.name, `id-${container.name}`]));
  return {
    apiVersion: result.apiVersion,
    networks: result.networks
      .filter((network) => network.action !== 'external')
      .map((network) => ({
        id: `net-${network.name}`,
        name: network.name,
        labels: network.request?.Labels ?? {},
        driver: network.driver,
        subnets: network.subnets,
        containers: result.containers.filter((c) => c.networks.some((n) => n.networkName === network.name)).map((c) => ids.get(c.name)!),
      })),
    containers: result.containers.map((container) => ({
      id: ids.get(container.name)!,
      name: container.name,
      labels: container.request.Labels,
      state: 'running',
      networks: Object.fromEntries(container.networks.map((n) => [n.networkName, { aliases: n.aliases }])),
      ports: container.ports.filter((p) => p.hostPort && !p.hostPort.includes('-')).map((p) => ({ hostIp: p.hostIp, hostPort: Number(p.hostPort), containerPort: p.containerPort, protocol: p.protocol })),
      ...containerState,
    }))
      // The engine's snapshot is sorted by name.
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
}
