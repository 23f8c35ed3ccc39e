/**
 * Conformance with compose v2's loader (compose-go loader/loader_test.go, loader/testdata and
 * the compose-spec), written from the facts they state. Where we differ on purpose, the case says why.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load, type LoadOptions } from '../../../src/loader/index.js';
import { tempProject } from '../../helpers/fixtures.js';

/** Loads a project made of the given files (compose.yaml first unless `files` says otherwise). */
function loadFiles(files: Record<string, string>, options: LoadOptions = {}) {
  const dir = tempProject(files);
  return { dir, ...load({ workingDir: dir, environment: {}, ...options }) };
}

const loadYaml = (text: string, options: LoadOptions = {}) => loadFiles({ 'compose.yaml': text }, options);

describe('driver options', () => {
  it('are strings, as the Engine API takes them', () => {
    const { project } = loadYaml(`
services:
  web: {image: x, networks: {front: {driver_opts: {"com.docker.network.endpoint.sysctls": 1}}}}
networks:
  front: {driver_opts: {mtu: 1400}}
volumes:
  data: {driver_opts: {size: 10}}
`);
    expect(project.networks.front!.driver_opts).toEqual({ mtu: '1400' });
    expect(project.volumes.data!.driver_opts).toEqual({ size: '10' });
    expect(project.services.web!.networks!.front!.driver_opts).toEqual({ 'com.docker.network.endpoint.sysctls': '1' });
  });
});

describe('extra_hosts', () => {
  it('one entry per address, IPv6 without brackets, in either syntax', () => {
    const { project } = loadYaml(`
services:
  list: {image: x, extra_hosts: ["myhostv6=[::1]", "myhost=0.0.0.1,0.0.0.2", "legacy:10.0.0.1", "v6:::2"]}
  map: {image: x, extra_hosts: {alpha: "[fe80::1]", beta: [10.0.0.1, 10.0.0.2]}}
`);
    expect(project.services.list!.extra_hosts).toEqual(['myhostv6=::1', 'myhost=0.0.0.1', 'myhost=0.0.0.2', 'legacy=10.0.0.1', 'v6=::2']);
    expect(project.services.map!.extra_hosts).toEqual(['alpha=fe80::1', 'beta=10.0.0.1', 'beta=10.0.0.2']);
  });
});

describe('dns', () => {
  it('an empty value (an unset variable) means no servers, as compose-go omits it', () => {
    const { project } = loadYaml('services:\n  web: {image: x, dns: "${UNSET}"}\n  list: {image: x, dns: ["${UNSET}", 10.0.0.1]}\n');
    expect(project.services.web!.dns).toEqual([]);
    expect(project.services.list!.dns).toEqual(['10.0.0.1']);
  });
});

describe('external resources', () => {
  it('external.name is the legacy spelling of name', () => {
    const { project } = loadYaml('services:\n  web: {image: x, networks: [n]}\nnetworks:\n  n: {external: {name: shared}}\n');
    expect(project.networks.n).toMatchObject({ name: 'shared', external: true });
  });
  it('name and a different external.name conflict', () => {
    expect(() => loadYaml('services:\n  web: {image: x, networks: [n]}\nnetworks:\n  n:\n    name: one\n    external: {name: other}\n')).toThrow(/networks\.n: name and external\.name conflict/);
  });
});

describe('COMPOSE_ENV_FILES and COMPOSE_PATH_SEPARATOR', () => {
  it('COMPOSE_ENV_FILES names the env files when --env-file does not', () => {
    const files = { 'compose.yaml': 'services:\n  web: {image: "x:${TAG}", labels: {a: "${A}"}}\n', 'one.env': 'TAG=1\nA=one\n', 'two.env': 'TAG=2\n', '.env': 'TAG=dot\n' };
    const { project } = loadFiles(files, { environment: { COMPOSE_ENV_FILES: 'one.env,two.env' } });
    expect(project.services.web!.image).toBe('x:2');
    expect(project.services.web!.labels).toEqual({ a: 'one' });
    const flag = loadFiles(files, { environment: { COMPOSE_ENV_FILES: 'one.env' }, envFiles: ['two.env'] });
    expect(flag.project.services.web!.image).toBe('x:2');
  });

  it('COMPOSE_PATH_SEPARATOR splits COMPOSE_FILE', () => {
    const files = { 'a.yaml': 'services:\n  web: {image: a}\n', 'b.yaml': 'services:\n  web: {image: b}\n' };
    const { project } = loadFiles(files, { environment: { COMPOSE_FILE: 'a.yaml;b.yaml', COMPOSE_PATH_SEPARATOR: ';' } });
    expect(project.services.web!.image).toBe('b');
  });
});

describe('profiles', () => {
  const files = {
    'compose.yaml': 'services:\n  web: {image: x}\n  dbg: {image: x, profiles: [debug]}\n  tools: {image: x, profiles: [debug, ops]}\n  seed: {image: x, profiles: [init]}\n',
  };

  it('a service named on the command line is enabled with its profiles, as compose-go WithServicesEnabled', () => {
    const { project } = loadFiles(files, { services: ['dbg'] });
    expect(Object.keys(project.services).sort()).toEqual(['dbg', 'tools', 'web']);
    expect(project.disabled_services).toEqual(['seed']);
  });

  it('the project knows every profile of its files, enabled or not', () => {
    expect(loadFiles(files).project.profiles).toEqual(['debug', 'init', 'ops']);
  });
});

describe('relative paths', () => {
  it('in the project resolve against the project directory; ~ is the home directory', () => {
    const { dir, project } = loadYaml(`
services:
  web:
    image: x
    build: ./app
    volumes: ["./data:/data", "~/cache:/cache", {type: bind, source: ./logs, target: /logs}, "named:/named"]
    secrets: [token]
secrets:
  token: {file: ./token.txt}
volumes:
  named: {}
  bound: {driver: local, driver_opts: {type: none, o: bind, device: ./bound}}
`, { consistency: false }); // ./app and ./token.txt are only named, not made
    const web = project.services.web!;
    expect(web.build!.context).toBe(join(dir, 'app'));
    expect(web.volumes).toEqual([
      { type: 'bind', source: join(dir, 'data'), target: '/data', bind: { create_host_path: true } },
      { type: 'bind', source: join(homedir(), 'cache'), target: '/cache', bind: { create_host_path: true } },
      { type: 'bind', source: join(dir, 'logs'), target: '/logs' },
      { type: 'volume', source: 'named', target: '/named', volume: {} },
    ]);
    expect(project.secrets.token!.file).toBe(join(dir, 'token.txt'));
    expect((project.volumes.bound!.driver_opts as Record<string, string>).device).toBe(join(dir, 'bound'));
  });

  it('in an included file resolve against its own directory', () => {
    const { dir, project } = loadFiles({
      'compose.yaml': 'include: [sub/compose.yaml]\nservices:\n  web: {image: x}\n',
      'sub/compose.yaml': 'services:\n  db:\n    build: .\n    env_file: db.env\n    volumes: ["./data:/data"]\n',
      'sub/db.env': 'A=1\n',
    });
    const db = project.services.db!;
    expect(db.build!.context).toBe(join(dir, 'sub'));
    expect((db.volumes as { source: string }[])[0]!.source).toBe(join(dir, 'sub', 'data'));
    expect(db.env_file).toEqual([{ path: join(dir, 'sub', 'db.env'), required: true }]);
    expect(db.environment).toEqual({ A: '1' });
  });

  it('in an included file with project_directory resolve against that directory, extends.file too', () => {
    const { dir, project } = loadFiles({
      'compose.yaml': 'include:\n  - path: sub/compose.yaml\n    project_directory: other\nservices:\n  web: {image: x}\n',
      'sub/compose.yaml': 'services:\n  db:\n    extends: {file: base.yaml, service: base}\n    volumes: ["./data:/data"]\n',
      'other/base.yaml': 'services:\n  base: {image: base, volumes: ["./base:/base"]}\n',
    });
    const db = project.services.db!;
    expect(db.image).toBe('base');
    expect((db.volumes as { source: string }[]).map((v) => v.source)).toEqual([join(dir, 'other', 'base'), join(dir, 'other', 'data')]);
  });

  it('of a service extended from another file resolve against that file\'s directory', () => {
    const { dir, project } = loadFiles({
      'compose.yaml': 'services:\n  web:\n    extends: {file: common/base.yaml, service: base}\n    volumes: ["./own:/own"]\n',
      'common/base.yaml': 'services:\n  base:\n    image: x\n    volumes: ["./shared:/shared"]\n',
    });
    expect((project.services.web!.volumes as { source: string }[]).map((v) => v.source)).toEqual([join(dir, 'common', 'shared'), join(dir, 'own')]);
  });
});

describe('include', () => {
  it('a cycle names the chain of files and where it closes', () => {
    const attempt = () => loadFiles({
      'compose.yaml': 'include: [a.yaml]\nservices:\n  web: {image: x}\n',
      'a.yaml': 'include: [b.yaml]\nservices:\n  a: {image: x}\n',
      'b.yaml': 'include:\n  - compose.yaml\nservices:\n  b: {image: x}\n',
    });
    expect(attempt).toThrow(/^include cycle: \S*compose\.yaml → \S*a\.yaml → \S*b\.yaml → \S*compose\.yaml$/);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ location: { line: 2, column: 5 } });
      expect((error as { file: string }).file).toMatch(/b\.yaml$/);
    }
  });

  it('a file that includes itself is a cycle', () => {
    expect(() => loadYaml('include: [compose.yaml]\nservices:\n  web: {image: x}\n')).toThrow(/^include cycle: \S*compose\.yaml → \S*compose\.yaml$/);
  });

  it('env_file gives value-less environment entries of the included services their value', () => {
    const { project } = loadFiles({
      'compose.yaml': 'include:\n  - path: sub/compose.yaml\n    env_file: sub/vars.env\nservices:\n  web: {image: x, environment: [TOKEN]}\n',
      'sub/compose.yaml': 'services:\n  db: {image: "db:${TAG}", environment: [TOKEN, OTHER]}\n',
      'sub/vars.env': 'TOKEN=secret\nTAG=15\n',
    });
    expect(project.services.db!.image).toBe('db:15');
    expect(project.services.db!.environment).toEqual({ TOKEN: 'secret', OTHER: null });
    // The including project does not see the included project's variables.
    expect(project.services.web!.environment).toEqual({ TOKEN: null });
  });
});

describe('commands', () => {
  it('a command, entrypoint or healthcheck test string takes the form compose-go gives it', () => {
    const { project } = loadYaml(`services:
  web:
    image: x
    command: sh -c "echo $(date) 'a b'"
    entrypoint: /bin/entry --flag
    healthcheck: {test: curl -f http://localhost}
  listed: {image: x, command: [echo, hi], healthcheck: {test: [CMD, "true"]}}
`);
    expect(project.services.web).toMatchObject({ command: ['sh', '-c', "echo $(date) 'a b'"], entrypoint: ['/bin/entry', '--flag'], healthcheck: { test: ['CMD-SHELL', 'curl -f http://localhost'] } });
    expect(project.services.listed).toMatchObject({ command: ['echo', 'hi'], healthcheck: { test: ['CMD', 'true'] } });
  });
});

describe('override files are checked merged with the files before them', () => {
  const base = 'services:\n  web: {image: x, depends_on: {db: {condition: service_healthy}}}\n  db: {image: db}\n';

  it('a partial depends_on entry in an override is valid and keeps the earlier condition', () => {
    const { project } = loadFiles({ 'compose.yaml': base, 'compose.override.yaml': 'services:\n  web:\n    depends_on: {db: {required: false}}\n' });
    expect(project.services.web!.depends_on.db).toEqual({ condition: 'service_healthy', required: false });
  });

  it('the same entry in the first file lacks its condition', () => {
    expect(() => loadYaml('services:\n  web: {image: x, depends_on: {db: {required: false}}}\n  db: {image: db}\n')).toThrow(/services\.web\.depends_on\.db is missing the required key "condition"/);
  });

  it('an override that adds a new partial entry lacks it too', () => {
    expect(() => loadFiles({ 'compose.yaml': base, 'compose.override.yaml': 'services:\n  web:\n    depends_on: {cache: {required: false}}\n  cache: {image: c}\n' }))
      .toThrow(/services\.web\.depends_on\.cache is missing the required key "condition"/);
  });
});
