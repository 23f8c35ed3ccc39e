/**
 * Conformance with compose-go's implicit dependencies (loader/normalize.go, its
 * TestNormalizeImplicitDependencies and TestNormalizeNetworkNames): a service that refers to
 * another through links, a shared namespace or volumes_from depends on it. Written from the
 * facts they state; where we differ on purpose, the case says why.
 */
import { describe, expect, it } from 'vitest';
import { flattenErrors, type TscomposeError } from '../../../src/errors.js';
import { load, toComposeJson, type LoadOptions } from '../../../src/loader/index.js';
import { tempProject } from '../../helpers/fixtures.js';
import { checkedPlan } from '../../helpers/plan.js';

const loadYaml = (text: string, options: LoadOptions = {}) => load({ workingDir: tempProject({ 'compose.yaml': text }), environment: {}, ...options });

/** The errors a file is refused with, as message and line. */
function refusal(text: string, options: LoadOptions = {}): { message: string; line?: number }[] {
  try {
    loadYaml(text, options);
  } catch (error) {
    return flattenErrors(error).map((each) => ({ message: (each as TscomposeError).message, line: (each as TscomposeError).line }));
  }
  throw new Error('the file was accepted');
}

const STARTED_RESTART = { condition: 'service_started', restart: true, required: true };
const STARTED = { condition: 'service_started', required: true };

describe('implicit depends_on', () => {
  it('links, with or without an alias, depend on the linked service, started and restarting with it', () => {
    const { project } = loadYaml('services:\n  web: {image: x, links: [db, "cache:redis"]}\n  db: {image: x}\n  cache: {image: x}\n');
    expect(project.services.web!.depends_on).toEqual({ db: STARTED_RESTART, cache: STARTED_RESTART });
  });

  it('network_mode, ipc, pid and uts as service:NAME depend on that service, restarting with it', () => {
    const { project } = loadYaml(`
services:
  app:
    image: x
    network_mode: service:net
    ipc: service:ipc
    pid: service:pid
    uts: service:uts
  net: {image: x}
  ipc: {image: x}
  pid: {image: x}
  uts: {image: x}
`);
    expect(project.services.app!.depends_on).toEqual({ net: STARTED_RESTART, ipc: STARTED_RESTART, pid: STARTED_RESTART, uts: STARTED_RESTART });
  });

  it('volumes_from a service (with or without an access mode) depends on it without restart; container:NAME adds nothing', () => {
    const { project } = loadYaml('services:\n  web: {image: x, volumes_from: [data, "logs:ro", "container:other"]}\n  data: {image: x}\n  logs: {image: x}\n');
    expect(project.services.web!.depends_on).toEqual({ data: STARTED, logs: STARTED });
  });

  it('namespaces shared with host, a container or nothing add nothing', () => {
    const { project } = loadYaml('services:\n  web: {image: x, network_mode: host, ipc: shareable, pid: "container:other", uts: host}\n');
    expect(project.services.web!.depends_on).toEqual({});
  });

  it('an explicit depends_on entry is not overridden (TestNormalizeImplicitDependencies)', () => {
    const { project } = loadYaml(`
services:
  test:
    image: x
    ipc: service:foo
    uts: service:baz
    pid: service:qux
    volumes_from: [quux]
    links: [corge]
    depends_on:
      foo:
        condition: service_healthy
  foo: {image: x}
  baz: {image: x}
  qux: {image: x}
  quux: {image: x}
  corge: {image: x}
`);
    expect(project.services.test!.depends_on).toEqual({
      foo: { condition: 'service_healthy', required: true },
      baz: STARTED_RESTART,
      qux: STARTED_RESTART,
      quux: STARTED,
      corge: STARTED_RESTART,
    });
  });

  it('config --format json shows them, sorted by service, each as condition, restart (left out when false), required (TestNormalizeNetworkNames)', () => {
    const { project } = loadYaml(`
services:
  foo:
    image: x
    depends_on:
      bar:
        condition: service_healthy
        required: true
        restart: true
    network_mode: service:zot
  bar:
    image: x
    volumes_from: [zot, "container:xxx"]
  zot: {image: x}
  late: {image: x, depends_on: [zot], links: [bar]}
`);
    const json = toComposeJson(project) as { services: Record<string, { depends_on?: Record<string, unknown> }> };
    expect(JSON.stringify(json.services.foo!.depends_on)).toBe(JSON.stringify({ bar: { condition: 'service_healthy', restart: true, required: true }, zot: STARTED_RESTART }));
    expect(json.services.bar!.depends_on).toEqual({ zot: STARTED });
    expect(json.services.zot!.depends_on).toBeUndefined();
    expect(Object.keys(json.services.late!.depends_on!)).toEqual(['bar', 'zot']);
  });

  it('come from the service as extended and merged, as compose-go normalizes after both', () => {
    const base = 'services:\n  base: {image: x, links: [db]}\n  web: {extends: base, network_mode: service:db}\n  db: {image: x}\n';
    const { project } = loadYaml(base);
    expect(project.services.web!.depends_on).toEqual({ db: STARTED_RESTART });
  });

  it('cgroup: service:NAME is refused by the schema, so it implies nothing (compose-go lists cgroup in its normalize; its schema allows only host and private)', () => {
    expect(refusal('services:\n  web: {image: x, cgroup: service:db}\n  db: {image: x}\n')[0]!.message).toMatch(/cgroup/);
  });
});

describe('references to services that cannot be depended on', () => {
  it('an undefined service is named as the reference that names it, at its line', () => {
    expect(refusal('services:\n  web:\n    image: x\n    ipc: service:nope\n    volumes_from: [gone]\n')).toEqual([
      { message: 'service "web" uses ipc of undefined service "nope"', line: 4 },
      { message: 'service "web" uses volumes_from of undefined service "gone"', line: 5 },
    ]);
  });

  it('a service disabled by its profile is a required dependency: refused, at the line of the reference', () => {
    expect(refusal('services:\n  web:\n    image: x\n    pid: service:debug\n  debug: {image: x, profiles: [dbg]}\n')).toEqual([
      { message: 'service "web" depends on "debug", which no active profile enables', line: 4 },
    ]);
  });

  it('a service referring to itself is refused once, at the reference', () => {
    expect(refusal('services:\n  web:\n    image: x\n    network_mode: service:web\n')).toEqual([{ message: 'service "web" refers to itself in network_mode', line: 4 }]);
  });

  it('a cycle through links and network_mode is a dependency cycle, located at the reference', () => {
    const errors = refusal('services:\n  a:\n    image: x\n    links: [b]\n  b:\n    image: x\n    network_mode: service:a\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^dependency cycle: (a → b → a|b → a → b)$/);
    expect([4, 7]).toContain(errors[0]!.line);
  });
});

describe('the plan follows the implied dependencies', () => {
  const project = loadYaml('services:\n  app: {image: x, links: ["db:database"]}\n  sidecar: {image: x, network_mode: service:app, volumes_from: [db]}\n  db: {image: x}\n', { projectName: 'deps' }).project;
  const result = checkedPlan(project);
  const position = (id: string) => result.operations.findIndex((operation) => operation.id === id);
  const container = (service: string) => result.containers.find((each) => each.service === service)!;

  it('a service sharing another\'s network stack starts after it runs', () => {
    const start = result.operations.find((operation) => operation.id === 'start-container:deps-sidecar-1')!;
    expect(start.dependsOn).toContain('wait-container:deps-app-1:running');
    expect(position('start-container:deps-app-1')).toBeLessThan(position('start-container:deps-sidecar-1'));
  });

  it('the com.docker.compose.depends_on label lists them as compose writes it (service:condition:restart)', () => {
    expect(container('app').request.Labels['com.docker.compose.depends_on']).toBe('db:service_started:true');
    expect(container('sidecar').request.Labels['com.docker.compose.depends_on']).toBe('app:service_started:true,db:service_started:false');
  });

  it('a selected service brings the services it refers to', () => {
    const selected = checkedPlan(project, undefined, { services: ['sidecar'] });
    expect(selected.containers.map((each) => each.service).sort()).toEqual(['app', 'db', 'sidecar']);
  });
});
