import { describe, expect, it } from 'vitest';
import { load, toComposeJson } from '../../src/loader/index.js';
import { fixture } from '../helpers/fixtures.js';

const loadFixture = (name: string, options: Parameters<typeof load>[0] = {}) =>
  load({ workingDir: fixture('valid', name), environment: {}, ...options });

describe('normalization', () => {
  it('adds the default network and names it after the project', () => {
    const { project } = loadFixture('minimal');
    expect(project.name).toBe('minimal');
    expect(project.services.web!.networks).toEqual({ default: null });
    expect(project.networks.default).toEqual({ name: 'minimal_default' });
    expect(project.services.web!.ports).toEqual([{ target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' }]);
  });

  it('normalizes lists to maps and keeps network settings', () => {
    const { project } = loadFixture('multi-network', { environment: { LOG_LEVEL: 'debug' } });
    const { api, db, worker, proxy } = project.services;
    expect(project.name).toBe('shop');
    expect(api!.environment).toEqual({ DB_HOST: 'db', LOG_LEVEL: 'debug' });
    expect(api!.networks).toEqual({ front: { aliases: ['backend-api'] }, back: { priority: 100 } });
    expect(api!.depends_on).toEqual({ db: { condition: 'service_healthy', required: true } });
    expect(worker!.depends_on).toEqual({ db: { condition: 'service_started', required: true } });
    expect(proxy!.networks).toEqual({ front: null });
    expect(db!.dns_search).toEqual(['shop.internal']);
    expect(db!.extra_hosts).toEqual(['legacy=10.0.0.5', 'mirror=10.0.0.6']);
    expect(db!.hostname).toBe('database');
    expect(project.networks.front!.name).toBe('shop_front');
    expect(project.networks.back).toMatchObject({ name: 'shop_back', internal: true });
    expect(project.networks.shared).toMatchObject({ name: 'company-shared', external: true });
    // worker names no network, so it joins default, which the project then has.
    expect(project.networks.default!.name).toBe('shop_default');
  });

  it('leaves an unset variable of a bare environment entry as null', () => {
    const { project } = loadFixture('multi-network');
    expect(project.services.api!.environment.LOG_LEVEL).toBeNull();
  });

  it('writes every port syntax in long form, ranges expanded', () => {
    const { project } = loadFixture('ports');
    const web = project.services.web!;
    expect(web.expose).toEqual(['9000', '9001/udp']);
    const short = web.ports.map((p) => `${p.host_ip ?? ''}|${p.published ?? ''}|${p.target}/${p.protocol}`);
    expect(short).toEqual([
      '||80/tcp',
      '|8080|80/tcp',
      '127.0.0.1|8081|81/tcp',
      '127.0.0.1||82/tcp',
      '|8090|90/tcp',
      '|8091|91/tcp',
      '|9100-9110|100/tcp',
      '|53|53/udp',
      '::1|8443|443/tcp',
      '||5000/tcp',
      '||5001/tcp',
      '127.0.0.1|6000|6000/tcp',
    ]);
    expect(web.ports.at(-1)).toEqual({ target: 6000, published: '6000', host_ip: '127.0.0.1', protocol: 'tcp', mode: 'host', name: 'admin', app_protocol: 'http' });
  });

  it('accepts every network mode and adds no network to those services', () => {
    const { project } = loadFixture('network-modes');
    expect(project.services.isolated!.networks).toBeUndefined();
    expect(project.services.sidecar!.network_mode).toBe('service:app');
    expect(project.services['on-bridge']!.ports).toHaveLength(1);
    expect(Object.keys(project.networks)).toEqual(['default']);
  });

  it('resolves anchors, aliases and << merge keys', () => {
    const { project } = loadFixture('anchors');
    expect(project.services.one).toMatchObject({ image: 'tscompose/busybox:latest', restart: 'unless-stopped', command: ['sleep', '1000'], environment: { TZ: 'UTC' } });
    expect(project.services.two).toMatchObject({ restart: 'no', environment: { TZ: 'UTC', EXTRA: '1' } });
    expect(project.extensions['x-defaults']).toBeDefined();
  });
});

describe('interpolation in files', () => {
  it('reads .env, applies every operator and casts numbers where the schema wants them', () => {
    const { project, warnings } = loadFixture('interpolation');
    expect(project.name).toBe('interp');
    const web = project.services.web!;
    expect(web.image).toBe('tscompose/busybox:1.2');
    // Split into words as compose-go does; interpolation has happened before.
    expect(web.command).toEqual(['echo', '$HOME', 'hello', 'fallback', 'alt']);
    expect(web.scale).toBe(2);
    expect(web.ports[0]).toMatchObject({ published: '9090-9091', target: 80 });
    expect(warnings).toEqual([]);
  });

  it('lets the process environment win over .env', () => {
    const { project } = loadFixture('interpolation', { environment: { TAG: 'from-env', PROJECT: 'other' } });
    expect(project.services.web!.image).toBe('tscompose/busybox:from-env');
    expect(project.name).toBe('other');
  });

  it('replaces .env with --env-file', () => {
    const { project, warnings } = loadFixture('interpolation', { envFiles: [fixture('valid', 'include', 'db', '.env')] });
    expect(project.services.web!.image).toBe('tscompose/busybox:latest');
    expect(warnings.map((w) => w.message)).toContain('the "REPLICAS" variable is not set; defaulting to a blank string');
  });

  it('warns about an unset variable with where it is used', () => {
    const { warnings } = loadFixture('interpolation', { envFiles: [fixture('valid', 'include', 'db', '.env')] });
    const warning = warnings.find((w) => w.message.includes('REPLICAS'))!;
    expect(warning.location).toMatchObject({ line: 6, column: 12, file: fixture('valid', 'interpolation', 'compose.yaml') });
  });
});

describe('several files', () => {
  it('finds compose.override.yaml and merges it by the specification rules', () => {
    const { project } = loadFixture('override');
    const web = project.services.web!;
    expect(project.config_files.map((f) => f.split('/').pop())).toEqual(['compose.yaml', 'compose.override.yaml']);
    expect(web.command).toEqual(['httpd', '-f', '-v', '-p', '80']);
    expect(web.environment).toEqual({ MODE: 'development', KEEP: 'yes' });
    expect(web.ports.map((p) => p.published)).toEqual(['8080', '9229']);
    expect(web.dns).toEqual(['1.1.1.1', '1.0.0.1']);
    expect(web.labels).toEqual({ team: 'web-dev' });
    expect(project.services.debug).toBeUndefined();
  });

  it('merges files named with -f in order', () => {
    const dir = fixture('valid', 'override');
    const { project } = load({ files: ['compose.override.yaml', 'compose.yaml'], workingDir: dir, environment: {} });
    expect(project.services.web!.command).toEqual(['httpd', '-f', '-p', '80']);
  });

  it('reads the list in COMPOSE_FILE', () => {
    const dir = fixture('valid', 'override');
    const { project } = load({ workingDir: dir, environment: { COMPOSE_FILE: 'compose.yaml' } });
    expect(project.services.debug).toBeDefined();
    expect(project.services.web!.command).toEqual(['httpd', '-f', '-p', '80']);
  });

  it('reads a file from stdin with -f -', () => {
    const { project } = load({ files: ['-'], stdin: 'services:\n  one:\n    image: x\n', workingDir: fixture('valid', 'minimal'), environment: {} });
    expect(Object.keys(project.services)).toEqual(['one']);
    expect(project.name).toBe('minimal');
  });
});

describe('extends, include, profiles', () => {
  it('extends a service of another file and of the same file', () => {
    const { project } = loadFixture('extends');
    expect(project.services.web).toMatchObject({ image: 'tscompose/busybox:latest', environment: { FROM_BASE: '1', SHARED: 'web' } });
    expect(project.services.web!.build).toMatchObject({ context: fixture('valid', 'extends', 'context') });
    expect(project.services.worker).toMatchObject({ command: ['worker'], environment: { FROM_BASE: '1', SHARED: 'web' } });
    expect(project.services.worker!.extends).toBeUndefined();
  });

  it('includes another project with its own .env and directory', () => {
    const { project } = loadFixture('include');
    expect(project.services.db!.image).toBe('tscompose/busybox:from-include-env');
    expect(project.services.db!.build).toMatchObject({ context: fixture('valid', 'include', 'db', 'image') });
    expect(project.networks.data!.name).toBe('include_data');
    expect(project.services.app!.networks).toEqual({ default: null, data: null });
  });

  it('leaves out services whose profiles are not active', () => {
    expect(Object.keys(loadFixture('profiles').project.services)).toEqual(['app']);
    expect(loadFixture('profiles').project.disabled_services).toEqual(['debugger', 'docs']);
    expect(Object.keys(loadFixture('profiles', { profiles: ['docs'] }).project.services)).toEqual(['app', 'docs']);
    expect(Object.keys(loadFixture('profiles', { environment: { COMPOSE_PROFILES: 'debug' } }).project.services)).toEqual(['app', 'debugger', 'docs']);
    expect(Object.keys(loadFixture('profiles', { profiles: ['*'] }).project.services)).toHaveLength(3);
  });
});

describe('config JSON', () => {
  it('has the shape of docker compose config --format json', () => {
    const json = toComposeJson(loadFixture('minimal').project);
    expect(json).toEqual({
      name: 'minimal',
      services: {
        web: {
          command: ['httpd', '-f', '-p', '80'],
          image: 'tscompose/busybox:latest',
          networks: { default: null },
          ports: [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }],
        },
      },
      networks: { default: { name: 'minimal_default' } },
    });
  });
});
