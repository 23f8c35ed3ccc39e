import type { ComposeProject, ServiceConfig } from '../loader/model.js';
import { VERSION } from '../version.js';
import { LABEL } from './labels.js';
import type { ObservedVolume, PlannedVolume } from './types.js';

/** Top-level volume keys a service mounts by name (type: volume in the loader's long form). */
export function namedVolumeKeys(service: ServiceConfig, project: ComposeProject): string[] {
  if (!Array.isArray(service.volumes)) return [];
  const keys: string[] = [];
  for (const entry of service.volumes as { type?: string; source?: string }[]) {
    if (entry.type === 'volume' && entry.source && entry.source in project.volumes) keys.push(entry.source);
  }
  return keys;
}

/** Each named volume the services mount: created with the project's labels when missing, never for external ones. */
export function planVolumes(project: ComposeProject, keys: readonly string[], observed: readonly ObservedVolume[] | undefined, warnings: string[]): PlannedVolume[] {
  const existing = new Map((observed ?? []).map((volume) => [volume.name, volume]));
  return keys.map((key): PlannedVolume => {
    const config = project.volumes[key]!;
    const name = String(config.name);
    if (config.external === true) return { key, name, action: 'external', cause: 'external' };
    const found = existing.get(name);
    if (found) {
      if (found.labels[LABEL.project] !== project.name) warnings.push(`volume "${name}" already exists and was not created by this project; it is used as it is (mark volumes.${key} external: true to say so)`);
      return { key, name, action: 'keep', cause: 'exists' };
    }
    return {
      key,
      name,
      action: 'create',
      cause: 'not found',
      request: {
        Name: name,
        Driver: (config.driver as string | undefined) ?? 'local',
        DriverOpts: (config.driver_opts as Record<string, string> | undefined) ?? {},
        Labels: { ...((config.labels as Record<string, string> | undefined) ?? {}), [LABEL.project]: project.name, [LABEL.volume]: key, [LABEL.version]: VERSION },
      },
    };
  });
}
