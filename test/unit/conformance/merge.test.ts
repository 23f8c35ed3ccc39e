/**
 * Merging an override file into a compose file as compose-go's override package does, case by
 * case from the facts of its override/*_test.go (written here; the cases that are not valid
 * compose are left out). Where we differ on purpose, the case says why.
 */
import { describe, expect, it } from 'vitest';
import { load } from '../../../src/loader/index.js';
import { tempProject } from '../../helpers/fixtures.js';

/** The project of compose.yaml with compose.override.yaml merged into it. */
function merged(base: string, override: string) {
  const dir = tempProject({ 'compose.yaml': base, 'compose.override.yaml': override });
  // As compose-go's merge tests: the snippets name volumes, secrets and build directories they do not make.
  return load({ workingDir: dir, environment: {}, consistency: false }).project;
}
const service = (base: string, override: string) => merged(`services:\n  test:\n    image: foo\n${base}`, `services:\n  test:\n${override}`).services.test!;

describe('key/value lists and mappings merge key by key', () => {
  it.each(['labels', 'environment'])('%s: list + list, mapping + mapping, mapping + list', (key) => {
    const values = (s: ReturnType<typeof service>) => s[key] as Record<string, string | null>;
    expect(values(service(`    ${key}: [FOO=BAR]\n`, `    ${key}: [QIX=ZOT, EMPTY=]\n`))).toMatchObject({ FOO: 'BAR', QIX: 'ZOT', EMPTY: '' });
    expect(values(service(`    ${key}: {FOO: BAR}\n`, `    ${key}: {EMPTY: "", QIX: ZOT}\n`))).toMatchObject({ FOO: 'BAR', QIX: 'ZOT', EMPTY: '' });
    expect(values(service(`    ${key}: {FOO: BAR}\n`, `    ${key}: [QIX=ZOT]\n`))).toMatchObject({ FOO: 'BAR', QIX: 'ZOT' });
    expect(values(service(`    ${key}: {FOO: 1}\n`, `    ${key}: {FOO: 3}\n`))).toMatchObject({ FOO: '3' });
  });

  it('a bare NIL entry is kept: a label without a value, a variable taken from the environment', () => {
    expect(service('    labels: [FOO=BAR]\n', '    labels: [NIL]\n').labels).toEqual({ FOO: 'BAR', NIL: '' });
    expect(service('    environment: [FOO=BAR]\n', '    environment: [NIL]\n').environment).toEqual({ FOO: 'BAR', NIL: null });
  });

  it('deploy.labels: list + list, mapping + mapping, mapping + list', () => {
    const labels = (s: ReturnType<typeof service>) => (s.deploy as { labels: unknown }).labels;
    expect(labels(service('    deploy: {labels: [FOO=BAR]}\n', '    deploy: {labels: [QIX=ZOT, EMPTY=]}\n'))).toEqual({ FOO: 'BAR', QIX: 'ZOT', EMPTY: '' });
    expect(labels(service('    deploy: {labels: {FOO: BAR}}\n', '    deploy: {labels: {QIX: ZOT}}\n'))).toEqual({ FOO: 'BAR', QIX: 'ZOT' });
    expect(labels(service('    deploy: {labels: {FOO: BAR}}\n', '    deploy: {labels: [QIX=ZOT]}\n'))).toEqual({ FOO: 'BAR', QIX: 'ZOT' });
  });

  it('annotations and sysctls', () => {
    expect(service('    sysctls: {net.core.somaxconn: 1024}\n', '    sysctls: [net.ipv4.tcp_syncookies=0]\n').sysctls).toEqual({ 'net.core.somaxconn': '1024', 'net.ipv4.tcp_syncookies': '0' });
    expect(service('    annotations: [a=1]\n', '    annotations: {b: 2}\n').annotations).toEqual({ a: '1', b: '2' });
  });

  it('build args and labels; a build string is its context', () => {
    const test = service('    build: {context: ., args: [FOO=BAR], labels: {a: b}}\n', '    build: {args: {QIX: ZOT}, dockerfile: Other}\n');
    expect(test.build).toMatchObject({ args: { FOO: 'BAR', QIX: 'ZOT' }, labels: { a: 'b' }, dockerfile: 'Other' });
    expect(service('    build: ./dir\n', '    build: {dockerfile: Other}\n').build).toMatchObject({ context: expect.stringMatching(/\/dir$/), dockerfile: 'Other' });
  });
});

describe('sequences merge as a union, each entry once', () => {
  it('dns, dns_opt, dns_search; a string is a one-entry list', () => {
    const test = service('    dns: [8.8.8.8, 10.10.10.10, 9.9.9.9]\n    dns_opt: [use-vc]\n    dns_search: [dc1.example.com]\n', '    dns: 9.9.9.9\n    dns_opt: [no-tld-query]\n    dns_search: dc2.example.com\n');
    expect(test.dns).toEqual(['8.8.8.8', '10.10.10.10', '9.9.9.9']);
    expect(test.dns_opt).toEqual(['use-vc', 'no-tld-query']);
    expect(test.dns_search).toEqual(['dc1.example.com', 'dc2.example.com']);
  });

  it('tmpfs', () => {
    expect(service('    tmpfs: [/foo]\n', '    tmpfs: [/bar, /baz, /foo]\n').tmpfs).toEqual(['/foo', '/bar', '/baz']);
    expect(service('    tmpfs: /foo\n', '    tmpfs: /bar\n').tmpfs).toEqual(['/foo', '/bar']);
  });

  it('env_file, by path', () => {
    const paths = (s: ReturnType<typeof service>) => (s.env_file as { path: string }[]).map((entry) => entry.path.split('/').at(-1));
    const dir = tempProject({ 'foo.env': '', 'bar.env': '', 'baz.env': '' });
    const withFiles = (base: string, override: string) => {
      const files = { 'compose.yaml': `services:\n  test:\n    image: foo\n${base}`, 'compose.override.yaml': `services:\n  test:\n${override}`, 'foo.env': '', 'bar.env': '', 'baz.env': '' };
      return load({ workingDir: tempProject(files), environment: {} }).project.services.test!;
    };
    expect(dir).toBeTruthy();
    expect(paths(withFiles('    env_file: [foo.env]\n', '    env_file: [bar.env, baz.env]\n'))).toEqual(['foo.env', 'bar.env', 'baz.env']);
    expect(paths(withFiles('    env_file: foo.env\n', '    env_file: bar.env\n'))).toEqual(['foo.env', 'bar.env']);
    expect(paths(withFiles('    env_file: [bar.env, foo.env]\n', '    env_file: [{path: foo.env, required: true}]\n'))).toEqual(['bar.env', 'foo.env']);
  });

  it('extra_hosts, from either syntax', () => {
    expect(service('    extra_hosts: [example.com=1.2.3.4]\n', '    extra_hosts: [localhost=127.0.0.1, example.com=1.2.3.4, example.com=4.3.2.1]\n').extra_hosts)
      .toEqual(['example.com=1.2.3.4', 'localhost=127.0.0.1', 'example.com=4.3.2.1']);
    // compose-go sorts the entries of a mapping; we keep the order they are written in (the engine's /etc/hosts does not care).
    expect(new Set(service('    extra_hosts: {example.com: 1.2.3.4}\n', '    extra_hosts: {localhost: 127.0.0.1, example.com: [1.2.3.4, 4.3.2.1]}\n').extra_hosts))
      .toEqual(new Set(['example.com=1.2.3.4', 'example.com=4.3.2.1', 'localhost=127.0.0.1']));
    expect(service('    extra_hosts: {example.com: 1.2.3.4}\n', '    extra_hosts: [localhost=127.0.0.1, example.com=1.2.3.4, example.com=4.3.2.1]\n').extra_hosts)
      .toEqual(['example.com=1.2.3.4', 'localhost=127.0.0.1', 'example.com=4.3.2.1']);
  });

  it('cap_add, profiles, links', () => {
    expect(service('    cap_add: [NET_ADMIN]\n', '    cap_add: [SYS_ADMIN, NET_ADMIN]\n').cap_add).toEqual(['NET_ADMIN', 'SYS_ADMIN']);

  });
});

describe('mounts merge by their target', () => {
  it('volumes: short and long syntax', () => {
    const volumes = service('    volumes: [aa:/a, {type: bind, source: ./b, target: /b}]\n', '    volumes: [cc:/c, /host/aa:/a]\n').volumes as { source: string; target: string }[];
    expect(volumes.map((v) => `${v.source.split('/').at(-1)}:${v.target}`)).toEqual(['aa:/a', 'b:/b', 'cc:/c']);
    expect((volumes[0] as unknown as { type: string }).type).toBe('bind');
  });

  it('devices', () => {
    const devices = service("    devices: ['/dev/sda:/dev/sda', '/dev/sdd:/dev/sdd']\n", "    devices: ['/dev/nvme0n1p1:/dev/sda', '/dev/sde:/dev/sde']\n").devices;
    // In long form, as compose-go's canonical form has it before merging.
    expect(devices).toEqual([
      { source: '/dev/nvme0n1p1', target: '/dev/sda', permissions: 'rwm' },
      { source: '/dev/sdd', target: '/dev/sdd', permissions: 'rwm' },
      { source: '/dev/sde', target: '/dev/sde', permissions: 'rwm' },
    ]);
  });

  it('secrets and configs: a short entry and a long one with the default target are the same mount', () => {
    const files = 'secrets:\n  s: {file: ./s}\n  t: {file: ./t}\nconfigs:\n  c: {file: ./c}\n  d: {file: ./d}\n';
    const project = merged(
      `services:\n  test:\n    image: foo\n    secrets: [s, {source: t, target: /run/secrets/x}]\n    configs: [c]\n${files}`,
      'services:\n  test:\n    secrets: [{source: s, target: /run/secrets/s, mode: 256}, {source: s, target: x}]\n    configs: [{source: d, target: /c}]\n',
    );
    // A relative target ("x") is another mount than /run/secrets/x for compose-go's merge, though the engine puts both at the same place.
    expect(project.services.test!.secrets).toEqual([{ source: 's', target: '/run/secrets/s', mode: 256 }, { source: 't', target: '/run/secrets/x' }, { source: 's', target: 'x' }]);
    expect(project.services.test!.configs).toEqual([{ source: 'd', target: '/c' }]);
  });
});

describe('networks of a service', () => {
  it('list + list gives every network once', () => {
    expect(merged('services:\n  test:\n    image: foo\n    networks: [front, back]\nnetworks: {front: {}, back: {}}\n', 'services:\n  test:\n    networks: [front]\n').services.test!.networks)
      .toEqual({ front: null, back: null });
  });

  it('aliases and link_local_ips merge as a union', () => {
    const project = merged(
      'services:\n  test:\n    image: foo\n    networks:\n      network1: {aliases: [alias1, alias2], link_local_ips: [57.123.22.11, 57.123.22.13]}\n      network2: {aliases: [alias1, alias3]}\nnetworks: {network1: {}, network2: {}}\n',
      'services:\n  test:\n    networks:\n      network1: {aliases: [alias3, alias1], link_local_ips: [57.123.22.12, 57.123.22.13]}\n',
    );
    expect(project.services.test!.networks).toEqual({
      network1: { aliases: ['alias1', 'alias2', 'alias3'], link_local_ips: ['57.123.22.11', '57.123.22.13', '57.123.22.12'] },
      network2: { aliases: ['alias1', 'alias3'] },
    });
  });

  it('list + mapping', () => {
    const project = merged(
      'services:\n  test:\n    image: foo\n    networks: [front, network1]\nnetworks: {front: {}, network1: {}}\n',
      'services:\n  test:\n    networks:\n      network1: {aliases: [alias1]}\n',
    );
    expect(project.services.test!.networks).toEqual({ front: null, network1: { aliases: ['alias1'] } });
  });

  it('ipam pools merge by subnet', () => {
    const project = merged(
      'services:\n  test: {image: foo}\nnetworks:\n  n:\n    ipam:\n      config:\n        - {subnet: 172.28.0.0/16, ip_range: 172.28.5.0/24, gateway: 172.28.5.254, aux_addresses: {host1: 172.28.1.5, host2: 172.28.1.6}}\n      options: {foo: bar}\n    labels: {a: "1"}\n',
      'networks:\n  n:\n    ipam:\n      config:\n        - {subnet: 172.28.0.0/16, ip_range: 172.28.5.1/24, aux_addresses: {host2: 172.28.1.4, host4: 172.28.1.10}}\n        - {subnet: 172.29.0.0/16, gateway: 172.29.0.254}\n      options: {baz: "0"}\n    labels: [b=2]\n',
    );
    expect(project.networks.n!.ipam).toEqual({
      config: [
        { subnet: '172.28.0.0/16', ip_range: '172.28.5.1/24', gateway: '172.28.5.254', aux_addresses: { host1: '172.28.1.5', host2: '172.28.1.4', host4: '172.28.1.10' } },
        { subnet: '172.29.0.0/16', gateway: '172.29.0.254' },
      ],
      options: { foo: 'bar', baz: '0' },
    });
    expect(project.networks.n!.labels).toEqual({ a: '1', b: '2' });
  });
});

describe('values that replace', () => {
  it('command, entrypoint and healthcheck.test replace; other scalars too', () => {
    const test = service("    command: [a, b]\n    entrypoint: x\n    healthcheck: {test: [CMD, a], interval: 5s}\n    mem_limit: '256m'\n", '    command: c\n    entrypoint: [y, z]\n    healthcheck: {test: b}\n    mem_limit: 1\n');
    expect(test).toMatchObject({ command: ['c'], entrypoint: ['y', 'z'], healthcheck: { test: ['CMD-SHELL', 'b'], interval: '5s' }, mem_limit: 1 });
  });

  it('logging: the same driver (or none) merges options; another driver replaces them', () => {
    expect(service('    logging: {driver: syslog, options: {syslog-address: "tcp://192.168.0.42:123"}}\n', '    logging: {driver: syslog, options: {syslog-address: "tcp://127.0.0.1:123"}}\n').logging)
      .toEqual({ driver: 'syslog', options: { 'syslog-address': 'tcp://127.0.0.1:123' } });
    expect(service('    logging: {driver: local, options: {max-size: "10m"}}\n', '    logging: {driver: syslog, options: {syslog-address: "tcp://127.0.0.1:123"}}\n').logging)
      .toEqual({ driver: 'syslog', options: { 'syslog-address': 'tcp://127.0.0.1:123' } });
    expect(service('    logging: {options: {max-size: "10m"}}\n', '    logging: {options: {max-file: "3"}}\n').logging).toEqual({ options: { 'max-size': '10m', 'max-file': '3' } });
  });

  it('depends_on: a list merges with a mapping, each with the defaults', () => {
    const project = merged(
      'services:\n  test:\n    image: foo\n    depends_on: [a]\n  a: {image: a}\n  b: {image: b}\n',
      'services:\n  test:\n    depends_on: {b: {condition: service_healthy}}\n',
    );
    expect(project.services.test!.depends_on).toEqual({ a: { condition: 'service_started', required: true }, b: { condition: 'service_healthy', required: true } });
  });
});

describe('models', () => {
  it('a list and a mapping merge by model name', () => {
    const models = (base: string, override: string) => service(base, override).models;
    expect(models('    models: [llm, embedding-model]\n', '    models: [vision-model]\n')).toEqual({ llm: null, 'embedding-model': null, 'vision-model': null });
    expect(models('    models: [llm, embedding-model]\n', '    models: {vision-model: {endpoint_var: VISION_URL, model_var: VISION_MODEL}}\n'))
      .toEqual({ llm: null, 'embedding-model': null, 'vision-model': { endpoint_var: 'VISION_URL', model_var: 'VISION_MODEL' } });
    expect(models('    models: {llm: {endpoint_var: OLD, model_var: OLD_NAME}}\n', '    models: {llm: {endpoint_var: NEW, model_var: NEW_NAME}}\n'))
      .toEqual({ llm: { endpoint_var: 'NEW', model_var: 'NEW_NAME' } });
  });
});

describe('override files and extends (loader/override_test.go)', () => {
  it('a list of networks, then aliases for one of them', () => {
    const project = merged('services:\n  test: {image: test, networks: [test_network]}\nnetworks: {test_network: {}}\n', 'services:\n  test:\n    image: test\n    networks:\n      test_network: {aliases: [alias1, alias2]}\n');
    expect(project.services.test!.networks).toEqual({ test_network: { aliases: ['alias1', 'alias2'] } });
  });

  it('a build string, then a build mapping', () => {
    const project = merged('services:\n  test: {build: .}\n', 'services:\n  test: {build: {context: src}}\n');
    expect(project.services.test!.build!.context).toMatch(/\/src$/);
  });

  it('a list depends_on, then settings for the dependency', () => {
    const project = merged('services:\n  test: {image: test, depends_on: [foo]}\n  foo: {image: foo}\n', 'services:\n  test:\n    depends_on: {foo: {condition: service_healthy, required: false}}\n');
    expect(project.services.test!.depends_on.foo).toEqual({ condition: 'service_healthy', required: false });
  });

  it('the same volume twice is one mount', () => {
    expect(merged('services:\n  test: {image: test, volumes: ["./src:/src"]}\n', 'services:\n  test: {volumes: ["./src:/src"]}\n').services.test!.volumes).toHaveLength(1);
  });

  it('!override in the middle of an extends chain (docker/compose#13298)', () => {
    const dir = tempProject({
      'base.yaml': 'services:\n  base:\n    volumes: [/foo:/foo]\n    networks: [foo]\n',
      'override.yaml': 'services:\n  override:\n    extends: {file: ./base.yaml, service: base}\n    volumes: !override\n      - /bar:/bar\n    networks: !override\n      - bar\n',
      'compose.yaml': 'name: test\nservices:\n  test:\n    image: test\n    extends: {file: ./override.yaml, service: override}\n    volumes: [/zot:/zot]\n    networks: !override\n      - zot\nnetworks:\n  zot: {}\n',
    });
    const test = load({ workingDir: dir, environment: {} }).project.services.test!;
    expect(test.volumes).toEqual([
      { type: 'bind', source: '/bar', target: '/bar', bind: { create_host_path: true } },
      { type: 'bind', source: '/zot', target: '/zot', bind: { create_host_path: true } },
    ]);
    expect(test.networks).toEqual({ zot: null });
  });

  it('extends of a service that itself extends with !override (docker/compose#13346)', () => {
    const dir = tempProject({
      'compose.yaml': `name: test-override-extends
services:
  depend_base: {image: nginx, ports: ["8092:80"]}
  depend_one: {image: nginx, ports: ["8091:80"]}
  depend_two:
    extends: {service: depend_one}
  main_one: {image: nginx, depends_on: [depend_one], ports: ["8090:80"]}
  main_two:
    extends: main_one
    depends_on: !override
      - depend_two
  main:
    extends: {service: main_two}
    depends_on: [depend_base]
`,
    });
    // Valid compose although main_one, main_two and main all publish host port 8090: plan and up refuse that on one engine.
    expect(load({ workingDir: dir, environment: {} }).project.services.main!.depends_on).toEqual({
      depend_two: { condition: 'service_started', required: true },
      depend_base: { condition: 'service_started', required: true },
    });
  });
});

describe('!reset and !override of whole resources (loader/reset_test.go)', () => {
  it('!reset removes a network', () => {
    expect(merged('services:\n  a: {image: x, network_mode: none}\nnetworks:\n  test: {name: test, external: true}\n', 'networks:\n  test: !reset {}\n').networks.test).toBeUndefined();
  });
  it('!override replaces it', () => {
    expect(merged('services:\n  a: {image: x, network_mode: none}\nnetworks:\n  test: {name: test, external: true}\n', 'networks:\n  test: !override {}\n').networks.test!.external).toBeUndefined();
  });
});
