/**
 * Conformance with compose v2's loader (compose-go loader/loader_test.go, loader/testdata and
 * the compose-spec), written from the facts they state. Where we differ on purpose, the case says why.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load, toComposeJson, type LoadOptions } from '../../../src/loader/index.js';
import { fixture, tempProject } from '../../helpers/fixtures.js';

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

describe('config --format json has the shape of docker compose config --format json', () => {
  it('long-form volumes, exec-form commands, absolute bind, env file and secret paths, Go durations', () => {
    const { dir, project } = loadFiles({
      'compose.yaml': `services:
  web:
    image: x
    command: npm start
    entrypoint: /entry.sh
    env_file: web.env
    volumes: ["./data:/data", "named:/named:ro", "/anon"]
    secrets: [token]
    stop_grace_period: 90s
secrets:
  token: {file: ./token.txt}
volumes:
  named: {}
`,
      'web.env': 'X=1\n',
      'token.txt': '',
    });
    const web = toComposeJson(project).services as Record<string, Record<string, unknown>>;
    expect(web.web).toEqual({
      image: 'x',
      command: ['npm', 'start'],
      entrypoint: ['/entry.sh'],
      env_file: [{ path: join(dir, 'web.env'), required: true }],
      environment: { X: '1' },
      networks: { default: null },
      secrets: [{ source: 'token', target: '/run/secrets/token' }],
      stop_grace_period: '1m30s',
      volumes: [
        { type: 'bind', source: join(dir, 'data'), target: '/data', bind: { create_host_path: true } },
        { type: 'volume', source: 'named', target: '/named', read_only: true, volume: {} },
        { type: 'volume', target: '/anon', volume: {} },
      ],
    });
    expect(toComposeJson(project).secrets).toEqual({ token: { file: join(dir, 'token.txt'), name: 'proj_token' } });
  });
});

describe('extends', () => {
  // compose-go loader/extends_test.go TestExtends, with testdata/extends/base.yaml as written there.
  const base = `services:
  base:
    image: base

  another:
    extends: base

  with-port:
    ports:
      - 8000:8000

  withUlimits:
    image: test
    ulimits:
      nproc: 65535
      nofile:
        soft: 20000
        hard: 40000

  nil: #left intentionally empty
`;

  it('of a file read for extends, only the extended services are checked', () => {
    const { project } = loadFiles({
      'compose.yaml': 'services:\n  test1: {extends: {file: base.yaml, service: base}, hostname: test1}\n  test2: {extends: {file: base.yaml, service: base}, hostname: test2}\n  test3: {extends: {file: base.yaml, service: another}, hostname: test3}\n',
      'base.yaml': base,
    });
    expect(Object.fromEntries(Object.entries(project.services).map(([name, s]) => [name, [s.image, s.hostname]]))).toEqual({
      test1: ['base', 'test1'], test2: ['base', 'test2'], test3: ['base', 'test3'],
    });
  });

  it('a service written without settings can be extended and gives nothing (TestExtendsNil)', () => {
    const { project } = loadFiles({ 'compose.yaml': 'services:\n  test:\n    image: test\n    extends: {file: base.yaml, service: nil}\n', 'base.yaml': base });
    expect(project.services.test!.image).toBe('test');
  });

  it('extends without a service is refused by the schema (TestExtendsWihtMissingService)', () => {
    expect(() => loadFiles({ 'compose.yaml': 'services:\n  test:\n    image: test\n    extends: {file: base.yaml}\n', 'base.yaml': base }))
      .toThrow('services.test.extends is missing the required key "service"');
  });

  it('ports, ulimits and a build context come from the extended file, its paths against its directory', () => {
    const files = { 'base.yaml': base, 'sibling.yaml': 'services:\n  test: {build: .}\n' };
    expect(loadFiles({ ...files, 'compose.yaml': 'services:\n  test: {image: test, extends: {file: base.yaml, service: with-port}}\n' }).project.services.test!.ports)
      .toEqual([{ target: 8000, published: '8000', protocol: 'tcp', mode: 'ingress' }]);
    expect(loadFiles({ ...files, 'compose.yaml': 'services:\n  test: {extends: {file: base.yaml, service: withUlimits}}\n' }).project.services.test!.ulimits)
      .toEqual({ nproc: 65535, nofile: { soft: 20000, hard: 40000 } });
  });

  it('!override in the extending service replaces what it inherits (TestLoadExtendsDependsOn)', () => {
    const { project } = loadYaml('services:\n  service_a: {image: a, depends_on: [service_c]}\n  service_b:\n    extends: service_a\n    depends_on: !override\n      - service_a\n  service_c: {image: c}\n');
    expect(project.services.service_b!.depends_on).toEqual({ service_a: { condition: 'service_started', required: true } });
  });

  it('an extended service the schema refuses is an error', () => {
    expect(() => loadFiles({ 'compose.yaml': 'services:\n  t: {extends: {file: base.yaml, service: bad}}\n', 'base.yaml': 'services:\n  bad: {image: x, ports: 5}\n  nil:\n' }))
      .toThrow(/services\.bad\.ports must be a list/);
  });
});

describe('resources compose-go refuses', () => {
  it.each(['driver: foobar', 'driver_opts: {a: b}', 'labels: {a: b}'])('an external volume with %s', (setting) => {
    expect(() => loadYaml(`services:\n  a: {image: x}\nvolumes:\n  ev:\n    external: true\n    ${setting}\n`)).toThrow(`volumes.ev: conflicting parameters "external" and "${setting.split(':')[0]}" specified`);
  });

  it('a secret or config with two sources, or none', () => {
    expect(() => loadYaml('services:\n  a: {image: x}\nsecrets:\n  s: {file: ./s, environment: S}\n')).toThrow('secrets.s: file|environment attributes are mutually exclusive');
    expect(() => loadYaml('services:\n  a: {image: x}\nconfigs:\n  c: {file: ./c, content: hi}\n')).toThrow('configs.c: file|environment|content attributes are mutually exclusive');
    expect(() => loadYaml('services:\n  a: {image: x}\nsecrets:\n  s: {name: x}\n')).toThrow('secrets.s: one of file|environment must be set');
    expect(loadYaml('services:\n  a: {image: x}\nsecrets:\n  s: {external: true}\nconfigs:\n  c: {content: hi}\n').project.configs.c).toMatchObject({ content: 'hi' });
  });

  it('a bind mount without a source', () => {
    expect(() => loadYaml('services:\n  t:\n    image: nginx\n    volumes:\n      - type: bind\n        target: /app\n')).toThrow('services.t.volumes[0]: a bind mount needs a source');
  });

  it('a tmpfs size below zero', () => {
    expect(() => loadYaml('services:\n  t:\n    image: nginx\n    volumes:\n      - {type: tmpfs, target: /app, tmpfs: {size: -1}}\n')).toThrow(/tmpfs\.size must be >= 0/);
  });

  it('accepts numeric volume names, dotted service names and volume subpaths', () => {
    expect(loadYaml("services:\n  foo:\n    image: busybox\n    volumes: ['0:/foo']\nvolumes:\n  '0': {}\n").project.services.foo!.volumes).toEqual([{ type: 'volume', source: '0', target: '/foo', volume: {} }]);
    expect(Object.keys(loadYaml('services:\n  test.a.b.c:\n    image: foo\n    ports: ["5432"]\n').project.services)).toEqual(['test.a.b.c']);
    expect(loadYaml('services:\n  t:\n    image: a\n    volumes: [{type: volume, source: asdf, target: /app, volume: {subpath: etc/settings}}]\nvolumes: {asdf: {}}\n').project.services.t!.volumes)
      .toEqual([{ type: 'volume', source: 'asdf', target: '/app', volume: { subpath: 'etc/settings' } }]);
  });
});

describe('YAML', () => {
  it.each([
    ['123:\n  foo:\n    image: busybox\n', 'non-string key in the top level: 123'],
    ['services:\n  foo: {image: busybox}\n  123: {image: busybox}\n', 'non-string key in services: 123'],
    ['services:\n  foo: {image: busybox}\nnetworks:\n  default:\n    ipam:\n      config:\n        - 123: oh dear\n', 'non-string key in networks.default.ipam.config[0]: 123'],
    ['services:\n  dict-env:\n    image: busybox\n    environment:\n      1: FOO\n', 'non-string key in services.dict-env.environment: 1'],
  ])('a key that is not a string is refused, as compose-go refuses it', (text, message) => {
    expect(() => loadYaml(text)).toThrow(message);
  });

  it('a quoted number is a name', () => {
    expect(Object.keys(loadYaml("services:\n  '123': {image: busybox}\n").project.services)).toEqual(['123']);
  });

  it.each(['1', '"hello"', '["hello"]'])('a top level that is not a mapping (%s) is refused', (text) => {
    expect(() => loadYaml(text)).toThrow('the top level of a compose file must be a mapping');
  });
});

describe('documents and empty files', () => {
  it('several YAML documents in a file merge in order, as compose-go merges them', () => {
    const { project } = loadYaml('name: load-multi-docs\nservices:\n  test:\n    image: nginx:latest\n---\nservices:\n  test:\n    image: nginx:override\n');
    expect(project.services.test!.image).toBe('nginx:override');
  });

  it('an empty override file adds nothing', () => {
    const { project } = loadFiles({ 'compose.yaml': 'name: test-with-empty-file\nservices:\n  test: {image: foo}\n', 'compose.override.yaml': '' });
    expect(project.name).toBe('test-with-empty-file');
  });

  it('a project of one empty file is refused', () => {
    expect(() => loadYaml('')).toThrow('the compose file is empty');
    expect(() => loadYaml('# nothing\n')).toThrow('the compose file is empty');
  });
});

describe('a project in the shape of docker/awesome-compose', () => {
  // fixtures/valid/web-stack: hand-written; every project of docker/awesome-compose loads too (checked by hand, not committed).
  it('loads, and config --format json gives compose\'s shape', () => {
    const dir = fixture('valid', 'web-stack');
    const json = toComposeJson(load({ workingDir: dir, environment: {} }).project) as { services: Record<string, Record<string, unknown>>; secrets: unknown };
    expect(json.services.proxy).toMatchObject({
      ports: [{ mode: 'ingress', target: 80, published: '80', protocol: 'tcp' }],
      volumes: [{ type: 'bind', source: join(dir, 'proxy', 'nginx.conf'), target: '/etc/nginx/conf.d/default.conf', read_only: true, bind: { create_host_path: true } }],
      depends_on: { backend: { condition: 'service_started', required: true } },
    });
    expect(json.services.frontend).toMatchObject({
      build: { context: join(dir, 'frontend'), dockerfile: 'Dockerfile', target: 'development' },
      command: ['npm', 'run', 'dev', '--', '--host', '0.0.0.0'],
      volumes: [{ type: 'bind', source: join(dir, 'frontend', 'src'), target: '/app/src' }, { type: 'volume', target: '/app/node_modules', volume: {} }],
      expose: ['3000'],
    });
    expect(json.services.backend).toMatchObject({ secrets: [{ source: 'db-password', target: '/run/secrets/db-password' }], stop_grace_period: '30s' });
    expect(json.services.db).toMatchObject({
      command: ['--default-authentication-plugin=mysql_native_password'],
      volumes: [{ type: 'volume', source: 'db-data', target: '/var/lib/mysql', volume: {} }],
      healthcheck: { interval: '3s', start_period: '30s', retries: 5 },
    });
    expect(json.secrets).toEqual({ 'db-password': { file: join(dir, 'db', 'password.txt'), name: 'web-stack_db-password' } });
  });
});

describe('label_file', () => {
  it('labels are read from the files in order; labels: wins', () => {
    const { project } = loadFiles({
      'compose.yaml': 'services:\n  one: {image: x, label_file: ./example1.label}\n  two: {image: x, label_file: [./example1.label, ./example2.label], labels: {BAZ: own}}\n',
      'example1.label': 'FOO=foo_from_label_file\nBAR=bar_from_label_file\nBAZ=baz_from_label_file\nLABEL.WITH.DOT=ok\nLABEL_WITH_UNDERSCORE=ok\n',
      'example2.label': 'BAR=bar_from_label_file_2\nQUX=quz_from_label_file_2\n',
    });
    expect(project.services.one!.labels).toEqual({ FOO: 'foo_from_label_file', BAR: 'bar_from_label_file', BAZ: 'baz_from_label_file', 'LABEL.WITH.DOT': 'ok', LABEL_WITH_UNDERSCORE: 'ok' });
    expect(project.services.two!.labels).toMatchObject({ BAR: 'bar_from_label_file_2', QUX: 'quz_from_label_file_2', BAZ: 'own' });
  });

  it('a missing label file is an error', () => {
    expect(() => loadYaml('services:\n  one: {image: x, label_file: ./nowhere.label}\n')).toThrow(/label file \S*nowhere\.label not found/);
  });
});

describe('device requests', () => {
  const withDevice = (device: string) => `services:\n  hello-world:\n    image: redis:alpine\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - ${device}\n`;

  it.each(['{driver: nvidia, capabilities: [gpu], count: 1}', '{driver: nvidia, capabilities: [gpu], count: all}', '{driver: nvidia, capabilities: [gpu], count: "1"}', '{driver: nvidia, capabilities: [gpu]}'])('accepts %s', (device) => {
    expect(() => loadYaml(withDevice(device))).not.toThrow();
  });
  it('a count that is neither a number nor all', () => {
    expect(() => loadYaml(withDevice('{driver: nvidia, capabilities: [gpu], count: some_string}'))).toThrow(/count has an invalid value "some_string"/);
  });
  it('count and device_ids together', () => {
    expect(() => loadYaml(withDevice('{driver: nvidia, capabilities: [gpu], count: 2, device_ids: ["0", "1"]}'))).toThrow('"count" and "device_ids" attributes are exclusive');
  });
  it('capabilities are required', () => {
    expect(() => loadYaml(withDevice('{driver: nvidia, count: 2}'))).toThrow('is missing the required key "capabilities"');
  });
});

describe('config output', () => {
  it('loads back to the same output, as compose-go round-trips its projects', () => {
    const first = toComposeJson(load({ workingDir: fixture('valid', 'web-stack'), environment: {} }).project);
    const again = toComposeJson(load({ workingDir: tempProject({ 'compose.yaml': JSON.stringify(first) }, 'web-stack'), environment: {} }).project);
    expect(again).toEqual(first);
  });
});

describe('where tscompose differs from compose-go on purpose', () => {
  // compose-go loads this (loader/tests/networks_test.go); the engine then refuses to create the
  // container ("user specified IP address is supported only when connecting to networks with user
  // configured subnets"). We say so at load, with the place, before anything is created.
  it('a fixed address on a network without a configured subnet', () => {
    expect(() => loadYaml('services:\n  foo:\n    image: x\n    networks:\n      other-network: {ipv4_address: 172.16.238.10}\nnetworks:\n  other-network: {}\n'))
      .toThrow('a fixed address needs a subnet configured on network "other-network"');
  });
});

describe('include merges (loader/include_test.go)', () => {
  it('the same service from two includes is no conflict', () => {
    const { project } = loadFiles({
      'compose.yaml': 'include: [a/compose.yaml, b/compose.yaml]\nservices:\n  foo: {image: busybox, depends_on: [imported]}\n',
      'a/compose.yaml': 'services:\n  imported: {image: nginx, container_name: "${SOURCE:-a}"}\n',
      'b/compose.yaml': 'services:\n  imported: {image: nginx, container_name: "${SOURCE:-a}"}\n',
    }, { environment: { SOURCE: 'override' } });
    expect(project.services.imported!.container_name).toBe('override');
  });

  it('the including file may override an included resource (compose-go "Allow importing compose file to override resource definition")', () => {
    const { project } = loadFiles({
      'compose.yaml': 'include: [sub/compose.yaml]\nservices:\n  bar:\n    image: busybox\n    environment: !override\n      - ZOT=QIX\n',
      'sub/compose.yaml': 'services:\n  bar: {image: nginx, environment: [FOO=1], ports: ["80"]}\n',
    });
    expect(project.services.bar).toMatchObject({ image: 'busybox', environment: { ZOT: 'QIX' }, ports: [{ target: 80 }] });
  });

  it('a merge tag of the including file that concerns no included resource still applies to the files before', () => {
    const { project } = loadFiles({
      'compose.yaml': 'services:\n  web: {image: x, ports: ["80"]}\n',
      'compose.override.yaml': 'include: [sub/compose.yaml]\nservices:\n  web:\n    ports: !reset []\n',
      'sub/compose.yaml': 'services:\n  db: {image: y}\n',
    });
    expect(project.services.web!.ports).toEqual([]);
    expect(project.services.db!.image).toBe('y');
  });

  it('variables of an include are its own; value-less environment entries take them (TestLoadWithIncludeEnv)', () => {
    const { project } = loadFiles({
      'compose.yaml': 'include:\n  - path: [./module/compose.yml]\n    env_file: [./custom.env]\nservices:\n  a: {image: alpine, environment: [VAR_NAME]}\n',
      'custom.env': 'VAR_NAME=value\n',
      'module/compose.yml': 'services:\n  b: {image: alpine, environment: [VAR_NAME]}\n  c: {image: alpine, environment: [VAR_NAME]}\n',
    });
    expect(project.services.a!.environment.VAR_NAME).toBeNull();
    expect(project.services.b!.environment.VAR_NAME).toBe('value');
    expect(project.services.c!.environment.VAR_NAME).toBe('value');
  });

  it('an included file extends a file next to it, with project_directory "." (TestNestedIncludeAndExtends)', () => {
    const { project } = loadFiles({
      'compose.yml': 'include:\n  - project_directory: .\n    path: dir/included.yaml\n',
      'dir/included.yaml': 'services:\n  included:\n    extends: {file: dir/extended.yaml, service: extended}\n',
      'dir/extended.yaml': 'services:\n  extended: {image: alpine}\n',
    });
    expect(project.services.included!.image).toBe('alpine');
  });
});

describe('normalization (loader/normalize_test.go)', () => {
  it('network and volume names; build args without a value take the environment or are left out', () => {
    const { project } = loadFiles({ 'compose.yaml': 'name: myproject\nservices:\n  foo:\n    build: {context: ./testdata, args: {FOO: null, ZOT: null}}\nnetworks:\n  myExternalnet: {external: true}\n  myNamedNet: {name: CustomName}\n  mynet: {}\nvolumes:\n  myExternalVol: {external: true}\n  myvol: {}\n  myNamedVol: {name: CustomName}\n', 'testdata/Dockerfile': 'FROM scratch\n' }, { environment: { FOO: 'BAR' } });
    expect(project.services.foo!.build).toMatchObject({ dockerfile: 'Dockerfile', args: { FOO: 'BAR' } });
    expect(project.services.foo!.networks).toEqual({ default: null });
    expect(Object.fromEntries(Object.entries(project.networks).map(([key, network]) => [key, network.name]))).toEqual({ myExternalnet: 'myExternalnet', myNamedNet: 'CustomName', mynet: 'myproject_mynet', default: 'myproject_default' });
    expect(Object.fromEntries(Object.entries(project.volumes).map(([key, volume]) => [key, volume.name]))).toEqual({ myExternalVol: 'myExternalVol', myvol: 'myproject_myvol', myNamedVol: 'CustomName' });
  });
});

describe('names that are also JavaScript object members', () => {
  it('are names like any other: an undefined service or network called toString is refused', () => {
    expect(() => loadYaml('services:\n  a: {image: x, depends_on: [toString]}\n')).toThrow('service "a" depends on undefined service "toString"');
    expect(() => loadYaml('services:\n  a: {image: x, networks: [constructor]}\n')).toThrow('service "a" refers to undefined network "constructor"');
    expect(() => loadYaml('services:\n  a: {image: x, links: [valueOf]}\n')).toThrow('service "a" links to undefined service "valueOf"');
  });

  it('a merge key brings in keys named like object members', () => {
    const { project } = loadYaml('x-base: &base\n  constructor: "1"\n  toString: "2"\nservices:\n  a:\n    image: x\n    labels:\n      <<: *base\n');
    expect(project.services.a!.labels).toEqual({ constructor: '1', toString: '2' });
  });

  it('a key __proto__ is refused where it stands, not lost', () => {
    // To JavaScript, assigning it sets an object's prototype; compose-go would take it as a name.
    const error = (() => {
      try {
        loadYaml('services:\n  a:\n    image: x\n    environment:\n      __proto__: v\n');
      } catch (caught) {
        return caught as { message: string; location?: { line: number; column: number } };
      }
    })();
    expect(error?.message).toBe('a key named "__proto__" (in services.a.environment) is not supported');
    expect(error?.location).toMatchObject({ line: 5, column: 7 });
  });
});

describe('replicas', () => {
  it('more containers of a service than one engine runs are refused where they are written, before anything is planned', () => {
    expect(() => loadYaml('services:\n  a: {image: x, scale: 1000000}\n')).toThrow('services.a.scale is 1000000; tscompose runs at most 10,000 containers of a service on one engine');
    expect(() => loadYaml('services:\n  a:\n    image: x\n    deploy: {replicas: 20000}\n')).toThrow('services.a.deploy.replicas is 20000');
    // A swarm places its tasks itself.
    expect(loadYaml('services:\n  a:\n    image: x\n    deploy: {replicas: 20000}\n', { target: 'swarm' }).project.services.a!.deploy).toMatchObject({ replicas: 20000 });
  });
});
