import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load, type ComposeProject } from '../../src/loader/index.js';
import { ComposeErrors, type TscomposeError } from '../../src/errors.js';
import * as planner from '../../src/planner/swarm/index.js';
import { STACK_NAMESPACE_LABEL, STACK_SPEC_HASH_LABEL, type ObservedSwarm, type StackContents, type StackPlan } from '../../src/planner/swarm/index.js';
import { fixture } from '../helpers/fixtures.js';
import { assertValidStackPlan } from '../helpers/plan-schema.js';

/** Every plan a test makes must match schemas/stack-plan.schema.json. */
const checked = (plan: StackPlan): StackPlan => {
  assertValidStackPlan(JSON.parse(JSON.stringify(plan)));
  return plan;
};
const planStack = (...args: Parameters<typeof planner.planStack>) => checked(planner.planStack(...args));
const planStackRemoval = (...args: Parameters<typeof planner.planStackRemoval>) => checked(planner.planStackRemoval(...args));

const dir = fixture('valid', 'stack');
const loadStack = (stack = 'shop') => load({ workingDir: dir, projectName: stack, environment: {}, target: 'swarm' });
const digest = (file: string) => createHash('sha256').update(readFileSync(join(dir, file))).digest('hex');
const contents = (): StackContents => ({ secrets: new Map([['token', digest('token.txt')]]), configs: new Map([['motd', digest('motd.txt')]]) });
const emptySwarm = (): ObservedSwarm => ({ manager: true, services: [], networks: [], secrets: [], configs: [] });

/** What the swarm holds after the plan ran, as the engine would report it. */
function observedAfter(plan: StackPlan): ObservedSwarm {
  const swarm = emptySwarm();
  let n = 0;
  for (const operation of plan.operations) {
    const id = `id${++n}`;
    if (operation.kind === 'CreateNetwork') swarm.networks.push({ id, name: operation.body.Name, labels: operation.body.Labels, driver: operation.body.Driver, scope: 'swarm' });
    if (operation.kind === 'CreateSecret') swarm.secrets.push({ id, name: operation.body.Name, labels: operation.body.Labels });
    if (operation.kind === 'CreateConfig') swarm.configs.push({ id, name: operation.body.Name, labels: operation.body.Labels });
    if (operation.kind === 'CreateService') {
      const spec = operation.body;
      swarm.services.push({ id, name: spec.Name, version: 7, labels: spec.Labels, mode: 'replicated', image: spec.TaskTemplate.ContainerSpec.Image, ports: spec.EndpointSpec.Ports.map((p) => ({ published: p.PublishedPort ?? 30000, protocol: p.Protocol, mode: p.PublishMode })) });
    }
  }
  return swarm;
}

const summary = (plan: StackPlan) => plan.operations.map((op) => `${op.id} <- [${op.dependsOn.join(' ')}] (${op.cause})`);

describe('stack deploy planning', () => {
  it('creates the overlay networks, the versioned secret and config, then the services that use them', () => {
    const { project, warnings } = loadStack();
    const plan = planStack(project, emptySwarm(), contents());
    const token = `shop_token-${digest('token.txt').slice(0, 12)}`;
    const motd = `shop_motd-${digest('motd.txt').slice(0, 12)}`;
    expect(summary(plan)).toEqual([
      'create-network:shop_back <- [] (not found)',
      'create-network:shop_front <- [] (not found)',
      `create-secret:${token} <- [] (not found)`,
      `create-config:${motd} <- [] (not found)`,
      'create-service:shop_agent <- [create-network:shop_back] (not found)',
      'create-service:shop_api <- [create-network:shop_back] (not found)',
      `create-service:shop_web <- [create-network:shop_back create-network:shop_front create-secret:${token} create-config:${motd}] (not found)`,
    ]);
    expect(plan.conflicts).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual(['a swarm ignores these service keys: container_name (agent), depends_on (agent)']);
  });

  it('maps the compose service as docker stack deploy does', () => {
    const plan = planStack(loadStack().project, emptySwarm(), contents());
    const web = plan.operations.find((op) => op.resource === 'service:shop_web');
    if (web?.kind !== 'CreateService') throw new Error('no CreateService for web');
    const spec = web.body;
    expect(spec.Labels).toEqual({ team: 'edge', [STACK_NAMESPACE_LABEL]: 'shop', 'com.docker.stack.image': 'tscompose/busybox:latest', [STACK_SPEC_HASH_LABEL]: plan.services.find((s) => s.key === 'web')!.specHash });
    expect(spec.Mode).toEqual({ Replicated: { Replicas: 1 } });
    expect(spec.EndpointSpec).toEqual({ Mode: 'dnsrr', Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 18080, PublishMode: 'host' }] });
    expect(spec.UpdateConfig).toEqual({ Parallelism: 1, Delay: 1e9, Order: 'stop-first' });
    expect(spec.TaskTemplate.Resources).toEqual({ Limits: { NanoCPUs: 5e8, MemoryBytes: 64 * 1024 * 1024 } });
    expect(spec.TaskTemplate.RestartPolicy).toEqual({ Condition: 'on-failure', MaxAttempts: 3 });
    expect(spec.TaskTemplate.Networks).toEqual([
      { Target: 'shop_back', Aliases: ['web'] },
      { Target: 'shop_front', Aliases: ['web', 'www'] },
    ]);
    const container = spec.TaskTemplate.ContainerSpec;
    expect(container.Labels).toEqual({ role: 'web', [STACK_NAMESPACE_LABEL]: 'shop' });
    expect(container.Args).toEqual(['httpd', '-f', '-p', '80', '-h', '/var/www']);
    expect(container.Env).toEqual(['GREETING=hello']);
    expect(container.StopGracePeriod).toBe(2e9);
    expect(container.Init).toBe(true);
    expect(container.CapabilityAdd).toEqual(['NET_ADMIN']);
    expect(container.Healthcheck).toEqual({ Test: ['CMD', 'true'], Interval: 1e9 });
    expect(container.Secrets).toEqual([{ File: { Name: '/run/secrets/token', UID: '0', GID: '0', Mode: 0o444 }, SecretName: `shop_token-${digest('token.txt').slice(0, 12)}` }]);
    expect(container.Configs[0]!.File.Name).toBe('/etc/motd');
    const api = plan.operations.find((op) => op.resource === 'service:shop_api');
    expect(api?.kind === 'CreateService' && [api.body.Mode, api.body.TaskTemplate.Networks]).toEqual([{ Replicated: { Replicas: 2 } }, [{ Target: 'shop_back', Aliases: ['api', 'backend'] }]]);
    const agent = plan.operations.find((op) => op.resource === 'service:shop_agent');
    expect(agent?.kind === 'CreateService' && agent.body.Mode).toEqual({ Global: {} });
    expect(agent?.kind === 'CreateService' && agent.body.TaskTemplate.Placement).toEqual({ Constraints: ['node.role == manager'] });
    const front = plan.operations.find((op) => op.resource === 'network:shop_front');
    expect(front?.kind === 'CreateNetwork' && front.body).toMatchObject({ Driver: 'overlay', Options: { encrypted: '' }, Scope: 'swarm', Labels: { [STACK_NAMESPACE_LABEL]: 'shop' } });
  });

  it('does nothing on a redeploy of an unchanged file', () => {
    const project = loadStack().project;
    const second = planStack(project, observedAfter(planStack(project, emptySwarm(), contents())), contents());
    expect(second.operations).toEqual([]);
    expect(second.services.map((s) => `${s.name} ${s.action} ${s.cause}`)).toEqual(['shop_agent keep unchanged', 'shop_api keep unchanged', 'shop_web keep unchanged']);
  });

  it('updates only the changed service, with its id and version', () => {
    const project = loadStack().project;
    const observed = observedAfter(planStack(project, emptySwarm(), contents()));
    const changed = loadStack().project;
    changed.services.agent!.environment.EXTRA = '1';
    const plan = planStack(changed, observed, contents());
    expect(summary(plan)).toEqual(['update-service:shop_agent <- [] (spec changed)']);
    const update = plan.operations[0]!;
    expect(update.kind === 'UpdateService' && [update.engineId, update.version]).toEqual([observed.services.find((s) => s.name === 'shop_agent')!.id, 7]);
  });

  it('rolls the services of a secret with new content to a new version, then removes the old one', () => {
    const project = loadStack().project;
    const observed = observedAfter(planStack(project, emptySwarm(), contents()));
    const newToken = { ...contents(), secrets: new Map([['token', 'f'.repeat(64)]]) };
    const plan = planStack(project, observed, newToken);
    expect(summary(plan)).toEqual([
      'create-secret:shop_token-ffffffffffff <- [] (new content)',
      'update-service:shop_web <- [create-secret:shop_token-ffffffffffff] (spec changed)',
      `remove-secret:shop_token-${digest('token.txt').slice(0, 12)} <- [update-service:shop_web] (replaced by new content)`,
    ]);
  });

  it('removes services no longer in the file only with --prune', () => {
    const project = loadStack().project;
    const observed = observedAfter(planStack(project, emptySwarm(), contents()));
    const smaller: ComposeProject = loadStack().project;
    delete smaller.services.agent;
    expect(planStack(smaller, observed, contents()).warnings).toEqual(['service shop_agent is no longer in the compose file; --prune removes it']);
    expect(summary(planStack(smaller, observed, contents(), { prune: true }))).toEqual(['remove-service:shop_agent <- [] (not in the compose file (--prune))']);
  });

  it('stops before anything is created when a port is published by another stack, or the engine is no manager', () => {
    const project = loadStack().project;
    const observed = emptySwarm();
    observed.services.push({ id: 'x', name: 'other_web', version: 1, labels: { [STACK_NAMESPACE_LABEL]: 'other' }, mode: 'replicated', image: 'x', ports: [{ published: 8080, protocol: 'tcp', mode: 'ingress' }] });
    const ingress = loadStack().project;
    ingress.services.api!.ports = [{ target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' }];
    const plan = planStack(ingress, observed, contents());
    expect(plan.operations).toEqual([]);
    expect(plan.conflicts.map((c) => c.message)).toEqual(['port 8080/tcp of service shop_api is published by service other_web on the swarm']);
    expect(planStack(project, { ...emptySwarm(), manager: false }, contents()).conflicts.map((c) => c.kind)).toEqual(['not-a-swarm-manager']);
  });

  it('plans stack rm: services first, then what they used', () => {
    const project = loadStack().project;
    const observed = observedAfter(planStack(project, emptySwarm(), contents()));
    expect(summary(planStackRemoval('shop', observed)).map((line) => line.replace(/-[0-9a-f]{12}/, '-…'))).toEqual([
      'remove-service:shop_agent <- [] (stack rm shop)',
      'remove-service:shop_api <- [] (stack rm shop)',
      'remove-service:shop_web <- [] (stack rm shop)',
      'remove-network:shop_back <- [remove-service:shop_agent remove-service:shop_api remove-service:shop_web] (stack rm shop)',
      'remove-network:shop_front <- [remove-service:shop_agent remove-service:shop_api remove-service:shop_web] (stack rm shop)',
      'remove-secret:shop_token-… <- [remove-service:shop_agent remove-service:shop_api remove-service:shop_web] (stack rm shop)',
      'remove-config:shop_motd-… <- [remove-service:shop_agent remove-service:shop_api remove-service:shop_web] (stack rm shop)',
    ]);
  });
});

describe('what a swarm cannot do is an error before anything is created', () => {
  const errorsOf = (yaml: string): string[] => {
    try {
      load({ workingDir: dir, files: ['-'], stdin: yaml, projectName: 's', environment: {}, target: 'swarm' });
    } catch (error) {
      const errors = error instanceof ComposeErrors ? error.errors : [error as TscomposeError];
      return errors.map((e) => `${e.line ?? '?'}: ${e.message}`);
    }
    return [];
  };

  it('names each problem with its line', () => {
    expect(errorsOf(['services:', '  a:', '    build: .', '  b:', '    image: x', '    ports: ["8000-8001:80"]', '    deploy: {mode: global, replicas: 2}', '  c:', '    image: x', '    ports: [{target: 80, published: 81}]', '    deploy: {endpoint_mode: dnsrr}'].join('\n'))).toEqual([
      '3: service "a" has no image; a swarm runs images, it does not build them',
      '7: service "b" sets replicas with mode global; a global service runs one task per node',
      '6: service "b" publishes the port range 8000-8001; a swarm service publishes single ports',
      '10: service "c" publishes port 80 through the routing mesh (ingress) with endpoint_mode dnsrr, which has no virtual IP to route to',
    ]);
  });

  it('accepts replicas on one published port: the routing mesh serves them', () => {
    expect(errorsOf(['services:', '  a:', '    image: x', '    ports: ["8000:80"]', '    deploy: {replicas: 3}'].join('\n'))).toEqual([]);
  });
});

describe('--resolve-image', () => {
  it('runs the image pinned to its digest, and updates the service when the digest moves', () => {
    const project = loadStack().project;
    const pinned = (digest: string) => new Map(Object.keys(project.services).map((key) => [key, `tscompose/busybox:latest@sha256:${digest}`]));
    const first = planStack(project, emptySwarm(), contents(), { images: pinned('a'.repeat(64)) });
    const web = first.operations.find((op) => op.resource === 'service:shop_web');
    expect(web?.kind === 'CreateService' && web.body.TaskTemplate.ContainerSpec.Image).toBe(`tscompose/busybox:latest@sha256:${'a'.repeat(64)}`);
    const observed = observedAfter(first);
    expect(planStack(project, observed, contents(), { images: pinned('a'.repeat(64)) }).operations).toEqual([]);
    expect(summary(planStack(project, observed, contents(), { images: pinned('b'.repeat(64)) }))).toHaveLength(3);
  });
});

describe('volumes', () => {
  it('mounts paths as binds and names as the stack volumes, with the top-level driver and options', () => {
    const yaml = ['services:', '  db:', '    image: x', '    volumes: ["./data:/srv:ro", "cache:/cache", {type: tmpfs, target: /tmp}]', 'volumes:', '  cache:', '    driver: local', '    driver_opts: {type: tmpfs, device: tmpfs}', '    labels: {tier: fast}'].join('\n');
    const { project } = load({ workingDir: dir, files: ['-'], stdin: yaml, projectName: 'v', environment: {}, target: 'swarm' });
    const create = planStack(project, emptySwarm(), { secrets: new Map(), configs: new Map() }).operations[1]!;
    expect(create.kind === 'CreateService' && create.body.TaskTemplate.ContainerSpec.Mounts).toEqual([
      { Type: 'bind', Source: join(dir, 'data'), Target: '/srv', ReadOnly: true },
      { Type: 'volume', Source: 'v_cache', Target: '/cache', VolumeOptions: { Labels: { tier: 'fast', [STACK_NAMESPACE_LABEL]: 'v' }, DriverConfig: { Name: 'local', Options: { type: 'tmpfs', device: 'tmpfs' } } } },
      { Type: 'tmpfs', Target: '/tmp' },
    ]);
  });

  it('carries every option a swarm mount takes, as docker stack deploy sends them; an external volume by its name, without labels or driver', () => {
    const yaml = [
      'services:',
      '  db:',
      '    image: x',
      '    volumes:',
      '      - {type: bind, source: ./data, target: /srv, consistency: cached, bind: {propagation: rshared}}',
      '      - {type: volume, source: cache, target: /cache, volume: {nocopy: true}}',
      '      - {type: volume, source: shared, target: /shared, read_only: true}',
      '      - {type: volume, target: /anonymous}',
      '      - {type: tmpfs, target: /tmp, tmpfs: {size: 64m, mode: 01777}}',
      'volumes:',
      '  cache: {name: my-cache}',
      '  shared: {external: true, name: team-data}',
    ].join('\n');
    const { project } = load({ workingDir: dir, files: ['-'], stdin: yaml, projectName: 'v', environment: {}, target: 'swarm' });
    const create = planStack(project, emptySwarm(), { secrets: new Map(), configs: new Map() }).operations.find((operation) => operation.kind === 'CreateService')!;
    expect(create.kind === 'CreateService' && create.body.TaskTemplate.ContainerSpec.Mounts).toEqual([
      { Type: 'bind', Source: join(dir, 'data'), Target: '/srv', Consistency: 'cached', BindOptions: { Propagation: 'rshared' } },
      { Type: 'volume', Source: 'my-cache', Target: '/cache', VolumeOptions: { NoCopy: true, Labels: { [STACK_NAMESPACE_LABEL]: 'v' } } },
      { Type: 'volume', Source: 'team-data', Target: '/shared', ReadOnly: true, VolumeOptions: {} },
      { Type: 'volume', Target: '/anonymous' },
      { Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 64 * 1024 * 1024, Mode: 0o1777 } },
    ]);
  });
});

describe('external networks, secrets and configs', () => {
  const yaml = ['services:', '  a:', '    image: x', '    networks: [shared]', '    secrets: [cert]', 'networks:', '  shared: {external: true, name: edge}', 'secrets:', '  cert: {external: true, name: tls-cert}'].join('\n');
  const project = () => load({ workingDir: dir, files: ['-'], stdin: yaml, projectName: 'e', environment: {}, target: 'swarm' }).project;
  const noContents = { secrets: new Map(), configs: new Map() };

  it('must be on the swarm, and a network swarm-scoped; the services use them by name', () => {
    expect(planStack(project(), emptySwarm(), noContents).conflicts.map((c) => c.message)).toEqual(['external network "edge" is not on the swarm', 'external secret "tls-cert" is not on the swarm']);
    const local = { ...emptySwarm(), networks: [{ id: 'n', name: 'edge', labels: {}, driver: 'bridge', scope: 'local' }], secrets: [{ id: 's', name: 'tls-cert', labels: {} }] };
    expect(planStack(project(), local, noContents).conflicts.map((c) => c.message)).toEqual(['external network "edge" has scope "local"; swarm services need a swarm-scoped network (overlay)']);
    const swarm = { ...local, networks: [{ ...local.networks[0]!, driver: 'overlay', scope: 'swarm' }] };
    const plan = planStack(project(), swarm, noContents);
    expect(summary(plan)).toEqual(['create-service:e_a <- [] (not found)']);
    const create = plan.operations[0]!;
    expect(create.kind === 'CreateService' && [create.body.TaskTemplate.Networks[0]!.Target, create.body.TaskTemplate.ContainerSpec.Secrets[0]!.SecretName]).toEqual(['edge', 'tls-cert']);
  });
});
