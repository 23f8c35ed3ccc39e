import type { ComposeProject, ServiceConfig, ServiceVolumeConfig } from '../loader/model.js';
import { apiAtLeast } from './api-version.js';
import { fileMounts } from './container-files.js';
import { optional } from './optional.js';
import type { ContainerMount, HostConfig } from './types.js';

/** The first Engine API versions that create a bind mount's missing host path and know cluster volumes (Engine 23.0). */
const CREATE_MOUNTPOINT_API = '1.42';
const CLUSTER_API = '1.42';
/** …that make a bind read-only with its sub-mounts (Engine 25.0), mount a subpath of a volume (26.0), mount an image (28.0). */
const READ_ONLY_RECURSIVE_API = '1.44';
const VOLUME_SUBPATH_API = '1.45';
const IMAGE_MOUNT_API = '1.48';

/**
 * A service's `volumes:` as compose's buildContainerVolumes sends them: binds and named volumes
 * the `source:target[:options]` form can say go to Binds (a bind given so creates its missing
 * host path at every API version); anonymous volumes, tmpfs, and options only a mount can say
 * (create_host_path: false, recursive, nocopy, volume labels, subpath) go to Mounts, and so do
 * the service's secrets and configs that are files.
 */
export function containerMounts(service: ServiceConfig, project: ComposeProject): Pick<HostConfig, 'Binds' | 'Mounts'> {
  const binds: string[] = [];
  const mounts: ContainerMount[] = [];
  for (const volume of service.volumes ?? []) {
    const bind = bindString(volume, project);
    if (bind !== undefined) binds.push(bind);
    else mounts.push(mount(volume, project));
  }
  // Secrets and configs that are files, read-only, as mounts: Binds would create a missing file as a directory.
  mounts.push(...fileMounts(service, project));
  return { ...(binds.length > 0 ? { Binds: binds } : {}), ...(mounts.length > 0 ? { Mounts: mounts } : {}) };
}

/** A named volume by the engine's name of it; a name the file does not define (`run -v`) as written, as compose does. */
function volumeName(source: string, project: ComposeProject): string {
  return (project.volumes[source]?.name as string | undefined) ?? source;
}

/** Binds cannot leave a missing host path uncreated nor say how sub-mounts are treated (`enabled` is what Binds do). */
function bindNeedsMount(volume: ServiceVolumeConfig): boolean {
  const bind = volume.bind;
  return bind !== undefined && (bind.create_host_path === false || (bind.recursive !== undefined && bind.recursive !== 'enabled'));
}

/** An anonymous volume has no source to write; nocopy, labels and subpath are options of a mount, as compose's volumeRequiresMountAPI. */
function volumeNeedsMount(volume: ServiceVolumeConfig): boolean {
  const options = volume.volume;
  return volume.source === undefined || options?.nocopy === true || options?.subpath !== undefined || Object.keys(options?.labels ?? {}).length > 0;
}

/** `source:target[:ro,z,rshared,cached]`, or undefined when the entry needs a mount. */
function bindString(volume: ServiceVolumeConfig, project: ComposeProject): string | undefined {
  let source: string;
  if (volume.type === 'bind' && !bindNeedsMount(volume)) source = volume.source!;
  else if (volume.type === 'volume' && !volumeNeedsMount(volume)) source = volumeName(volume.source!, project);
  else return undefined;
  const options = [
    ...(volume.read_only ? ['ro'] : []),
    ...(volume.bind?.selinux ? [volume.bind.selinux] : []),
    ...(volume.bind?.propagation ? [volume.bind.propagation] : []),
    // The engine's Binds take consistent, cached and delegated; `default` is what no option is.
    ...(volume.consistency && volume.consistency !== 'default' ? [volume.consistency] : []),
  ];
  return [source, volume.target, ...(options.length > 0 ? [options.join(',')] : [])].join(':');
}

/** One entry as compose's buildMount makes it, each kind with only its own options (the engine refuses others from API 1.42). */
function mount(volume: ServiceVolumeConfig, project: ComposeProject): ContainerMount {
  const source = volume.type === 'volume' && volume.source !== undefined ? volumeName(volume.source, project) : volume.source;
  return {
    Type: volume.type,
    ...optional('Source', source),
    Target: volume.target,
    ...optional('ReadOnly', volume.read_only || undefined),
    ...optional('Consistency', volume.consistency),
    ...optional('BindOptions', volume.type === 'bind' ? bindOptions(volume.bind) : undefined),
    ...optional('VolumeOptions', volume.type === 'volume' ? volumeOptions(volume.volume) : undefined),
    ...optional('TmpfsOptions', volume.type === 'tmpfs' && volume.tmpfs ? { ...optional('SizeBytes', volume.tmpfs.size), ...optional('Mode', volume.tmpfs.mode) } : undefined),
    ...optional('ImageOptions', volume.type === 'image' && volume.image?.subpath !== undefined ? { Subpath: volume.image.subpath } : undefined),
  };
}

const RECURSIVE_OPTIONS: Record<string, NonNullable<ContainerMount['BindOptions']>> = {
  disabled: { NonRecursive: true },
  writable: { ReadOnlyNonRecursive: true },
  readonly: { ReadOnlyForceRecursive: true },
};

function bindOptions(bind: ServiceVolumeConfig['bind']): ContainerMount['BindOptions'] {
  if (bind === undefined) return undefined;
  const mapped = {
    ...optional('Propagation', bind.propagation),
    ...optional('CreateMountpoint', bind.create_host_path === true ? true : undefined),
    ...RECURSIVE_OPTIONS[bind.recursive ?? 'enabled'],
  };
  return Object.keys(mapped).length > 0 ? mapped : undefined;
}

function volumeOptions(options: ServiceVolumeConfig['volume']): ContainerMount['VolumeOptions'] {
  if (options === undefined) return undefined;
  const labels = Object.keys(options.labels ?? {}).length > 0 ? options.labels : undefined;
  const mapped = { ...optional('NoCopy', options.nocopy || undefined), ...optional('Labels', labels), ...optional('Subpath', options.subpath) };
  return Object.keys(mapped).length > 0 ? mapped : undefined;
}

/** What the engine cannot do with a service's volumes: at the planned API version (`needed`), or in any form the request can take. */
export interface MountRefusal {
  setting: string;
  needed?: string;
  why: string;
}

export function unsupportedMounts(service: ServiceConfig, apiVersion: string): MountRefusal[] {
  const refusals: MountRefusal[] = [];
  (service.volumes ?? []).forEach((volume, index) => {
    const at = `volumes[${index}]`;
    const needs = (setting: string, needed: string, why: string) => {
      if (!apiAtLeast(apiVersion, needed)) refusals.push({ setting: `${at}${setting}`, needed, why });
    };
    if (volume.type === 'bind' && bindNeedsMount(volume)) {
      const because = volume.bind?.create_host_path === false ? 'create_host_path: false' : `recursive: ${volume.bind?.recursive}`;
      if (volume.bind?.selinux) refusals.push({ setting: `${at}.bind.selinux`, why: `the engine relabels only a bind given as source:target:${volume.bind.selinux}, and ${because} needs a mount, which cannot be relabelled` });
      if (volume.bind?.create_host_path !== false) needs('.bind.create_host_path', CREATE_MOUNTPOINT_API, `a bind given as a mount (for ${because}) cannot create its missing host path; write create_host_path: false if the path exists`);
      if (volume.bind?.recursive === 'readonly') needs('.bind.recursive', READ_ONLY_RECURSIVE_API, 'a read-only bind leaves its sub-mounts writable');
    }
    if (volume.type === 'volume' && volume.volume?.subpath !== undefined) needs('.volume.subpath', VOLUME_SUBPATH_API, 'a volume is mounted from its root');
    if (volume.type === 'image') needs('', IMAGE_MOUNT_API, 'an image cannot be mounted');
    if (volume.type === 'cluster') needs('', CLUSTER_API, 'the engine knows no cluster volumes');
  });
  return refusals;
}
