import { describe, expect, it } from 'vitest';
import { flattenErrors } from '../../src/errors.js';
import { load } from '../../src/loader/index.js';
import type { ContainerCreateRequest, PlanOptions } from '../../src/planner/index.js';
import { tempProject } from '../helpers/fixtures.js';
import { checkedPlan, observedAfter } from '../helpers/plan.js';

/** A project of the given services (YAML under `services:`) and top-level volumes, as the loader reads it. */
function project(services: string, volumes = '  data: {}\n') {
  return load({ workingDir: tempProject({ 'compose.yaml': `name: mounts\nservices:\n${services}volumes:\n${volumes}` }, 'mounts'), environment: {} }).project;
}

function hostConfig(services: string, options: PlanOptions = {}): ContainerCreateRequest['HostConfig'] {
  const result = checkedPlan(project(services), undefined, options);
  expect(result.conflicts).toEqual([]);
  return result.containers[0]!.request.HostConfig;
}

function conflicts(services: string, options: PlanOptions = {}): string[] {
  const result = checkedPlan(project(services), undefined, options);
  expect(result.operations).toEqual([]);
  return result.conflicts.map((conflict) => `${conflict.kind}: ${conflict.message}`);
}

describe('the loader reads volume options as compose-go types them', () => {
  it('a tmpfs size with a unit is bytes, a mode written as text is octal as Go reads it; volume labels a mapping', () => {
    const app = project('  app:\n    image: x\n    volumes:\n      - {type: tmpfs, target: /a, tmpfs: {size: 64m, mode: 0o1777}}\n      - {type: tmpfs, target: /b, tmpfs: {size: "1024", mode: "01770"}}\n      - {type: volume, source: data, target: /c, volume: {labels: [tier=db, bare]}}\n').services.app!;
    expect(app.volumes).toEqual([
      { type: 'tmpfs', target: '/a', tmpfs: { size: 67108864, mode: 0o1777 } },
      { type: 'tmpfs', target: '/b', tmpfs: { size: 1024, mode: 0o1770 } },
      { type: 'volume', source: 'data', target: '/c', volume: { labels: { tier: 'db', bare: '' } } },
    ]);
  });

  it('a size or mode that is not one is refused where it is written', () => {
    expect(() => project('  app: {image: x, volumes: [{type: tmpfs, target: /a, tmpfs: {size: lots}}]}\n')).toThrow(/services\.app\.volumes\[0\]\.tmpfs\.size: "lots" is not a byte size/);
    expect(() => project('  app: {image: x, volumes: [{type: tmpfs, target: /a, tmpfs: {mode: rwx}}]}\n')).toThrow(/services\.app\.volumes\[0\]\.tmpfs\.mode: "rwx" is not a file mode/);
  });

  it('one mount per place, tmpfs entries included, as compose-go checks', () => {
    const problems = (services: string) => {
      try {
        project(services);
      } catch (error) {
        return flattenErrors(error).map((each) => (each as Error).message);
      }
    };
    expect(problems('  app: {image: x, tmpfs: ["/run:size=1m"], volumes: ["/data", "data:/data", {type: tmpfs, target: /run}]}\n')).toEqual([
      'services.app.volumes[1]: target /data already mounted as services.app.volumes[0]',
      'services.app.volumes[2]: target /run already mounted as services.app.tmpfs[0]',
    ]);
  });
});

describe('every volume entry reaches the create request, as compose v2 sends it', () => {
  it('binds and named volumes the short form can say are Binds, with read-only, SELinux, propagation and consistency', () => {
    const loaded = project([
      '  app:',
      '    image: x',
      '    volumes:',
      '      - /srv/conf:/etc/app:ro',
      '      - ./src:/src:z',
      '      - data:/var/lib/data',
      '      - {type: bind, source: /srv/shared, target: /shared, read_only: true, bind: {propagation: rshared, selinux: Z}}',
      '      - {type: bind, source: /srv/cache, target: /cache, consistency: cached}',
      '      - {type: volume, source: data, target: /ro, read_only: true}',
      '',
    ].join('\n'));
    const host = checkedPlan(loaded).containers[0]!.request.HostConfig;
    expect(host.Binds).toEqual([
      '/srv/conf:/etc/app:ro',
      `${loaded.working_dir}/src:/src:z`,
      'mounts_data:/var/lib/data',
      '/srv/shared:/shared:ro,Z,rshared',
      '/srv/cache:/cache:cached',
      'mounts_data:/ro:ro',
    ]);
    expect(host).not.toHaveProperty('Mounts');
  });

  it('anonymous volumes, short and long, are volume mounts without a source; the engine makes them', () => {
    const host = hostConfig('  app:\n    image: x\n    volumes: [/scratch, {type: volume, target: /cache, read_only: true}]\n');
    expect(host.Mounts).toEqual([
      { Type: 'volume', Target: '/scratch' },
      { Type: 'volume', Target: '/cache', ReadOnly: true },
    ]);
    expect(host).not.toHaveProperty('Binds');
  });

  it('a named volume with nocopy or labels is a mount with its options, under the engine name of the volume', () => {
    const host = hostConfig('  app:\n    image: x\n    volumes: ["data:/a:nocopy", {type: volume, source: data, target: /b, volume: {labels: {tier: db}}}]\n');
    expect(host.Mounts).toEqual([
      { Type: 'volume', Source: 'mounts_data', Target: '/a', VolumeOptions: { NoCopy: true } },
      { Type: 'volume', Source: 'mounts_data', Target: '/b', VolumeOptions: { Labels: { tier: 'db' } } },
    ]);
  });

  it('tmpfs with size and mode, read-only too', () => {
    const host = hostConfig('  app:\n    image: x\n    volumes: [{type: tmpfs, target: /run/app, tmpfs: {size: 1m, mode: 01770}}, {type: tmpfs, target: /ro, read_only: true}]\n');
    expect(host.Mounts).toEqual([
      { Type: 'tmpfs', Target: '/run/app', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1770 } },
      { Type: 'tmpfs', Target: '/ro', ReadOnly: true },
    ]);
  });

  it('a bind that must not create its host path is a mount; with recursive too, where the engine takes it', () => {
    const host = hostConfig('  app:\n    image: x\n    volumes: [{type: bind, source: /srv/a, target: /a, read_only: true, bind: {create_host_path: false, propagation: rslave}}, {type: bind, source: /srv/b, target: /b, bind: {create_host_path: false, recursive: disabled}}, {type: bind, source: /srv/c, target: /c, bind: {create_host_path: false}}]\n');
    expect(host.Mounts).toEqual([
      { Type: 'bind', Source: '/srv/a', Target: '/a', ReadOnly: true, BindOptions: { Propagation: 'rslave' } },
      { Type: 'bind', Source: '/srv/b', Target: '/b', BindOptions: { NonRecursive: true } },
      { Type: 'bind', Source: '/srv/c', Target: '/c' },
    ]);
    const modern = hostConfig('  app:\n    image: x\n    volumes: [{type: bind, source: /srv/a, target: /a, read_only: true, bind: {recursive: readonly}}, {type: bind, source: /srv/b, target: /b, read_only: true, bind: {recursive: writable}}]\n', { apiVersion: '1.44' });
    expect(modern.Mounts).toEqual([
      { Type: 'bind', Source: '/srv/a', Target: '/a', ReadOnly: true, BindOptions: { CreateMountpoint: true, ReadOnlyForceRecursive: true } },
      { Type: 'bind', Source: '/srv/b', Target: '/b', ReadOnly: true, BindOptions: { CreateMountpoint: true, ReadOnlyNonRecursive: true } },
    ]);
  });

  it('npipe and consistency of a mount pass as written; recursive: enabled is what a bind does', () => {
    const host = hostConfig('  app:\n    image: x\n    volumes: [{type: npipe, source: \'\\\\.\\pipe\\docker_engine\', target: \'\\\\.\\pipe\\docker_engine\'}, {type: volume, target: /d, consistency: delegated}, {type: bind, source: /srv/e, target: /e, bind: {recursive: enabled}}]\n');
    expect(host.Mounts).toEqual([
      { Type: 'npipe', Source: '\\\\.\\pipe\\docker_engine', Target: '\\\\.\\pipe\\docker_engine' },
      { Type: 'volume', Target: '/d', Consistency: 'delegated' },
    ]);
    expect(host.Binds).toEqual(['/srv/e:/e']);
  });

  it('the config hash is that of the service, not of the request: an unchanged project plans nothing again', () => {
    const services = '  app:\n    image: x\n    volumes: [/scratch, "data:/a:nocopy", {type: tmpfs, target: /t, tmpfs: {size: 1m}}, "/srv:/srv:ro"]\n';
    const first = checkedPlan(project(services));
    const again = checkedPlan(project(services), observedAfter(first));
    expect(again.containers.map((container) => container.action)).toEqual(['keep']);
  });
});

describe('what the engine cannot do with a volume is a conflict, not a setting lost', () => {
  it('a bind given as a mount creates its missing host path only from API 1.42', () => {
    expect(conflicts('  app: {image: x, volumes: [{type: bind, source: /srv, target: /srv, bind: {recursive: disabled}}]}\n')).toEqual([
      'unsupported-setting: services.app.volumes[0].bind.create_host_path needs Engine API 1.42; the engine speaks 1.41, where a bind given as a mount (for recursive: disabled) cannot create its missing host path; write create_host_path: false if the path exists',
    ]);
    expect(hostConfig('  app: {image: x, volumes: [{type: bind, source: /srv, target: /srv, bind: {recursive: disabled}}]}\n', { apiVersion: '1.42' }).Mounts).toEqual([
      { Type: 'bind', Source: '/srv', Target: '/srv', BindOptions: { CreateMountpoint: true, NonRecursive: true } },
    ]);
  });

  it('recursive read-only needs API 1.44, a volume subpath 1.45, an image mount 1.48, a cluster volume 1.42', () => {
    expect(conflicts([
      '  app:',
      '    image: x',
      '    volumes:',
      '      - {type: bind, source: /srv, target: /srv, read_only: true, bind: {create_host_path: false, recursive: readonly}}',
      '      - {type: volume, source: data, target: /d, volume: {subpath: sub}}',
      '      - {type: image, source: "alpine:3", target: /img, image: {subpath: etc}}',
      '      - {type: cluster, source: shared, target: /c}',
      '',
    ].join('\n'))).toEqual([
      'unsupported-setting: services.app.volumes[0].bind.recursive needs Engine API 1.44; the engine speaks 1.41, where a read-only bind leaves its sub-mounts writable',
      'unsupported-setting: services.app.volumes[1].volume.subpath needs Engine API 1.45; the engine speaks 1.41, where a volume is mounted from its root',
      'unsupported-setting: services.app.volumes[2] needs Engine API 1.48; the engine speaks 1.41, where an image cannot be mounted',
      'unsupported-setting: services.app.volumes[3] needs Engine API 1.42; the engine speaks 1.41, where the engine knows no cluster volumes',
    ]);
    expect(hostConfig('  app: {image: x, volumes: [{type: volume, source: data, target: /d, volume: {subpath: sub}}, {type: image, source: "alpine:3", target: /img, image: {subpath: etc}}]}\n', { apiVersion: '1.48' }).Mounts).toEqual([
      { Type: 'volume', Source: 'mounts_data', Target: '/d', VolumeOptions: { Subpath: 'sub' } },
      { Type: 'image', Source: 'alpine:3', Target: '/img', ImageOptions: { Subpath: 'etc' } },
    ]);
  });

  it('SELinux relabelling of a bind that must be a mount, at any API version', () => {
    expect(conflicts('  app: {image: x, volumes: [{type: bind, source: /srv, target: /srv, bind: {create_host_path: false, selinux: z}}]}\n', { apiVersion: '1.48' })).toEqual([
      'unsupported-setting: services.app.volumes[0].bind.selinux cannot be honoured: the engine relabels only a bind given as source:target:z, and create_host_path: false needs a mount, which cannot be relabelled',
    ]);
  });
});
