/**
 * Draws a plan's topology as a Mermaid flowchart or a Graphviz digraph: networks, containers,
 * published ports, shared network stacks and depends_on.
 *
 * Layout: networks are nodes and every attachment is an edge labelled with the aliases on that
 * network, so a container on several networks is drawn once and equally on each, without edges
 * into subgraphs, which Mermaid lays out poorly and Graphviz only draws with compound-edge tricks.
 */
import type { Plan, PlannedContainer, PlannedNetwork, PlannedStackService, PublishedPort, StackPlan } from '../usecases/index.js';

export type GraphFormat = 'mermaid' | 'dot';

type NodeKind = 'network' | 'container' | 'host';

/** `network:<engine name>`, `container:<name>` or `host:host`. */
type NodeKey = `${NodeKind}:${string}`;

interface GraphNode {
  key: NodeKey;
  kind: NodeKind;
  lines: string[];
  /** Not made by this project (external or engine network, another container): drawn dashed. */
  outside: boolean;
}

/** solid: attachment or published port; dashed: shared network stack; dotted: depends_on. */
type EdgeStyle = 'solid' | 'dashed' | 'dotted';

interface GraphEdge {
  from: NodeKey;
  to: NodeKey;
  /** Empty: no label. */
  label: string;
  style: EdgeStyle;
  /** An attachment has no direction; every other edge points at what is needed or reached. */
  directed: boolean;
}

interface Topology {
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const HOST: NodeKey = 'host:host';
const SHARES_STACK = 'shares network stack of';

/** The project's topology from the plan, as Mermaid (`flowchart LR`) or DOT (`digraph`) text. */
export function renderGraph(plan: Plan, format: GraphFormat): string {
  const topology = topologyOf(plan);
  return format === 'mermaid' ? mermaid(topology) : dot(topology);
}

/** A stack's topology: its overlay networks, its services (with mode and replicas) and their published ports. */
export function renderStackGraph(plan: StackPlan, format: GraphFormat): string {
  const topology = stackTopologyOf(plan);
  return format === 'mermaid' ? mermaid(topology) : dot(topology);
}

function stackTopologyOf(plan: StackPlan): Topology {
  const services = plan.services.filter((service) => service.action !== 'remove');
  const networks = plan.networks.map((network): GraphNode => ({ key: networkKey(network.name), kind: 'network', lines: [network.name, network.action === 'external' ? 'external' : `driver ${network.driver}`], outside: network.action === 'external' }));
  const nodes: GraphNode[] = [...networks, ...services.map((service): GraphNode => ({ key: containerKey(service.name), kind: 'container', lines: [service.name, serviceMode(service)], outside: false }))];
  const edges: GraphEdge[] = services.flatMap((service) => [
    ...service.networks.map((network): GraphEdge => ({ from: containerKey(service.name), to: networkKey(network.name), label: network.aliases.join(', '), style: 'solid', directed: false })),
    ...service.ports.map((port): GraphEdge => ({ from: HOST, to: containerKey(service.name), label: `${port.published ?? 'random'} → ${port.target}/${port.protocol} (${port.mode === 'ingress' ? 'routing mesh' : 'host mode'})`, style: 'solid', directed: true })),
  ]);
  if (edges.some((edge) => edge.from === HOST)) nodes.push({ key: HOST, kind: 'host', lines: ['every node'], outside: false });
  return { name: plan.stack, nodes, edges };
}

function serviceMode(service: PlannedStackService): string {
  return service.mode === 'replicated' ? `replicated ×${service.replicas ?? 1}` : service.mode === 'replicated-job' ? `job ×${service.replicas ?? 1}` : service.mode;
}

function topologyOf(plan: Plan): Topology {
  const edges = [
    ...plan.containers.flatMap(networkEdges),
    ...plan.containers.flatMap(portEdges),
    ...plan.containers.flatMap((container) => dependencyEdges(container, plan.containers)),
  ];
  const declared = [...plan.networks.map(networkNode), ...plan.containers.map(containerNode)];
  const known = new Set(declared.map((node) => node.key));
  const implicit = [...new Set(edges.flatMap((edge) => [edge.from, edge.to]))].filter((key) => !known.has(key)).map(implicitNode);
  return { name: plan.project, nodes: [...declared, ...implicit], edges };
}

const networkKey = (name: string): NodeKey => `network:${name}`;
const containerKey = (name: string): NodeKey => `container:${name}`;

function networkNode(network: PlannedNetwork): GraphNode {
  const external = network.action === 'external';
  return {
    key: networkKey(network.name),
    kind: 'network',
    // An external network's driver is whatever the engine has, not what the file says.
    lines: [network.name, external ? 'external' : `driver ${network.driver}`, ...network.subnets, ...(network.internal ? ['internal'] : [])],
    outside: external,
  };
}

function containerNode(container: PlannedContainer): GraphNode {
  const isolated = container.networks.length === 0 && container.request.HostConfig.NetworkMode === 'none';
  return { key: containerKey(container.name), kind: 'container', lines: [container.name, ...(isolated ? ['network_mode none'] : [])], outside: false };
}

/** A node an edge reaches that the plan does not hold: the host, an engine network, a container of no service. */
function implicitNode(key: NodeKey): GraphNode {
  const kind = key.slice(0, key.indexOf(':')) as NodeKind;
  const name = key.slice(key.indexOf(':') + 1);
  if (kind === 'host') return { key, kind, lines: ['host'], outside: false };
  return { key, kind, lines: [name, kind === 'network' ? 'engine network' : 'not in this project'], outside: true };
}

/** How a container reaches the network: its attachments, or its network_mode when it has none. */
function networkEdges(container: PlannedContainer): GraphEdge[] {
  const from = containerKey(container.name);
  if (container.networks.length > 0) {
    // The container's own name is on its node; the label keeps the other names it answers to.
    return container.networks.map((attachment) => ({ from, to: networkKey(attachment.networkName), label: attachment.aliases.filter((alias) => alias !== container.name).join(', '), style: 'solid', directed: false }));
  }
  const mode = container.request.HostConfig.NetworkMode;
  if (mode === 'none') return [];
  if (mode === 'host') return [{ from, to: HOST, label: SHARES_STACK, style: 'dashed', directed: true }];
  if (mode.startsWith('container:')) return [{ from, to: containerKey(mode.slice('container:'.length)), label: SHARES_STACK, style: 'dashed', directed: true }];
  return [{ from, to: networkKey(mode), label: `network_mode ${mode}`, style: 'solid', directed: false }];
}

function portEdges(container: PlannedContainer): GraphEdge[] {
  return container.ports.map((port) => ({ from: HOST, to: containerKey(container.name), label: `${hostSide(port)} → ${port.containerPort}/${port.protocol}`, style: 'solid', directed: true }));
}

/** The plan writes a port chosen at start as `<random>`; the graph says `random`. */
function hostSide(port: PublishedPort): string {
  return port.fromHost.replace('<random>', 'random');
}

function dependencyEdges(container: PlannedContainer, containers: readonly PlannedContainer[]): GraphEdge[] {
  return container.dependsOn.flatMap((dependency) =>
    containers
      .filter((other) => other.service === dependency.service)
      .map((other): GraphEdge => ({ from: containerKey(container.name), to: containerKey(other.name), label: dependency.required ? dependency.condition : `${dependency.condition}, optional`, style: 'dotted', directed: true })),
  );
}

const ID_PREFIX: Record<NodeKind, string> = { network: 'net_', container: 'ctr_', host: '' };

/** Ids both languages take bare: a prefix per kind, every character but [A-Za-z0-9_] as `_`, numbered when two names meet. */
function nodeIds(nodes: readonly GraphNode[]): Map<NodeKey, string> {
  const ids = new Map<NodeKey, string>();
  const taken = new Set<string>();
  for (const node of nodes) {
    const base = ID_PREFIX[node.kind] + node.key.slice(node.key.indexOf(':') + 1).replace(/[^A-Za-z0-9_]/g, '_');
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    ids.set(node.key, id);
  }
  return ids;
}

const MERMAID_SHAPE: Record<NodeKind, [open: string, close: string]> = { network: ['{{', '}}'], container: ['[', ']'], host: ['([', '])'] };

/** Mermaid text inside double quotes: `"`, and what HTML labels would read as markup, as entity codes. */
function mermaidText(text: string): string {
  return text.replace(/[#"<>&]/g, (char) => `#${char.charCodeAt(0)};`);
}

function mermaidArrow(edge: GraphEdge): string {
  if (edge.style === 'solid') return edge.directed ? '-->' : '---';
  return edge.directed ? '-.->' : '-.-';
}

function mermaid(topology: Topology): string {
  const ids = nodeIds(topology.nodes);
  const lines = ['flowchart LR'];
  for (const node of topology.nodes) {
    const [open, close] = MERMAID_SHAPE[node.kind];
    lines.push(`  ${ids.get(node.key)}${open}"${node.lines.map(mermaidText).join('<br/>')}"${close}`);
  }
  for (const edge of topology.edges) {
    const label = edge.label === '' ? '' : `|"${mermaidText(edge.label)}"|`;
    lines.push(`  ${ids.get(edge.from)} ${mermaidArrow(edge)}${label} ${ids.get(edge.to)}`);
  }
  const outside = topology.nodes.filter((node) => node.outside).map((node) => ids.get(node.key));
  if (outside.length > 0) lines.push('  classDef outside stroke-dasharray: 5 5', `  class ${outside.join(',')} outside`);
  // Mermaid has one dotted line; linkStyle (by edge index) draws the shared stacks with longer dashes.
  const dashed = topology.edges.flatMap((edge, index) => (edge.style === 'dashed' ? [index] : []));
  if (dashed.length > 0) lines.push(`  linkStyle ${dashed.join(',')} stroke-dasharray: 8 4`);
  return `${lines.join('\n')}\n`;
}

/** A DOT quoted string; `\n` between lines is DOT's own line break. */
function dotString(...lines: string[]): string {
  return `"${lines.map((line) => line.replace(/[\\"]/g, '\\$&')).join('\\n')}"`;
}

const DOT_SHAPE: Record<NodeKind, string> = { network: 'hexagon', container: 'box', host: 'house' };

function dotNodeAttributes(node: GraphNode): string[] {
  const styles = [...(node.kind === 'container' ? ['rounded'] : []), ...(node.outside ? ['dashed'] : [])];
  return [`label=${dotString(...node.lines)}`, `shape=${DOT_SHAPE[node.kind]}`, ...(styles.length > 0 ? [`style=${dotString(styles.join(','))}`] : [])];
}

function dotEdgeAttributes(edge: GraphEdge): string[] {
  return [...(edge.label === '' ? [] : [`label=${dotString(edge.label)}`]), ...(edge.style === 'solid' ? [] : [`style=${edge.style}`]), ...(edge.directed ? [] : ['dir=none'])];
}

function dot(topology: Topology): string {
  const ids = nodeIds(topology.nodes);
  const id = (key: NodeKey) => dotString(ids.get(key)!);
  const lines = [`digraph ${dotString(topology.name)} {`, '  rankdir=LR;'];
  for (const node of topology.nodes) lines.push(`  ${id(node.key)} [${dotNodeAttributes(node).join(', ')}];`);
  for (const edge of topology.edges) {
    const attributes = dotEdgeAttributes(edge);
    lines.push(`  ${id(edge.from)} -> ${id(edge.to)}${attributes.length > 0 ? ` [${attributes.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
