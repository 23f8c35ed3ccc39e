import { numbered, type Draft } from './plan-stack.js';
import { STACK_NAMESPACE_LABEL, STACK_PLAN_FORMAT_VERSION, STACK_SPEC_HASH_LABEL, type ObservedSwarm, type StackPlan } from './types.js';

/**
 * Plans `stack rm`: every service, network, secret and config with the stack's namespace label.
 * Services go first; the rest waits for them, as the engine keeps what tasks still use.
 */
export function planStackRemoval(stack: string, observed: ObservedSwarm): StackPlan {
  const ours = (object: { labels: Record<string, string> }) => object.labels[STACK_NAMESPACE_LABEL] === stack;
  const cause = `stack rm ${stack}`;
  const services = observed.services.filter(ours);
  const networks = observed.networks.filter(ours);
  const secrets = observed.secrets.filter(ours);
  const configs = observed.configs.filter(ours);
  const drafts: Draft[] = [
    ...services.map((service): Draft => ({ operation: { kind: 'RemoveService', resource: `service:${service.name}`, cause, engineId: service.id }, needs: [] })),
    ...networks.map((network): Draft => ({ operation: { kind: 'RemoveNetwork', resource: `network:${network.name}`, cause, engineId: network.id }, needs: 'every service change' })),
    ...secrets.map((secret): Draft => ({ operation: { kind: 'RemoveSecret', resource: `secret:${secret.name}`, cause, engineId: secret.id }, needs: 'every service change' })),
    ...configs.map((config): Draft => ({ operation: { kind: 'RemoveConfig', resource: `config:${config.name}`, cause, engineId: config.id }, needs: 'every service change' })),
  ];
  const removed = { action: 'remove' as const, cause };
  return {
    formatVersion: STACK_PLAN_FORMAT_VERSION,
    target: 'swarm',
    stack,
    observed: true,
    networks: networks.map((network) => ({ key: network.name.slice(stack.length + 1), name: network.name, driver: network.driver ?? 'overlay', existingId: network.id, ...removed })),
    secrets: secrets.map((secret) => ({ key: secret.name.slice(stack.length + 1), name: secret.name, existingId: secret.id, ...removed })),
    configs: configs.map((config) => ({ key: config.name.slice(stack.length + 1), name: config.name, existingId: config.id, ...removed })),
    services: services.map((service) => ({ key: service.name.slice(stack.length + 1), name: service.name, mode: service.mode, ...(service.replicas === undefined ? {} : { replicas: service.replicas }), networks: [], ports: [], specHash: service.labels[STACK_SPEC_HASH_LABEL] ?? '', existingId: service.id, ...removed })),
    operations: numbered(drafts),
    conflicts: [],
    warnings: services.length + networks.length + secrets.length + configs.length === 0 ? [`nothing found for stack ${stack}`] : [],
  };
}
