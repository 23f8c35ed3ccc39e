import { isAbsolute, join, resolve } from 'node:path';
import { isRecord } from './canonicalize.js';

type Data = Record<string, unknown>;

/** Build contexts that are not directories: git and http(s) URLs, other services, images, OCI layouts. */
const REMOTE_CONTEXT = /^([a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/|service:|docker-image:|oci-layout:)/i;

/**
 * Makes the relative paths of a (canonical) compose model absolute against `baseDir`, at the
 * places compose-go's paths.ResolveRelativePaths knows: build contexts, env and label files,
 * extends files, bind sources (`~` is the home directory), secret and config files, and the
 * device of a local volume bound to a host directory. Absolute paths are left as they are, so
 * that each file's paths are resolved once, against its own directory.
 */
export function resolveRelativePaths(data: Data, baseDir: string): void {
  const absolute = (path: string) => absolutePath(path, baseDir);
  for (const service of Object.values(isRecord(data.services) ? data.services : {})) {
    if (!isRecord(service)) continue;
    if (isRecord(service.build)) {
      const build = service.build;
      if (typeof build.context === 'string' && !REMOTE_CONTEXT.test(build.context)) build.context = absolute(build.context);
      if (isRecord(build.additional_contexts)) {
        for (const [name, context] of Object.entries(build.additional_contexts)) {
          if (typeof context === 'string' && !REMOTE_CONTEXT.test(context)) build.additional_contexts[name] = absolute(context);
        }
      }
    }
    if (Array.isArray(service.env_file)) {
      for (const entry of service.env_file) if (isRecord(entry) && typeof entry.path === 'string') entry.path = absolute(entry.path);
    }
    if (Array.isArray(service.label_file)) service.label_file = service.label_file.map((file) => (typeof file === 'string' ? absolute(file) : file));
    if (isRecord(service.extends) && typeof service.extends.file === 'string') service.extends.file = absolute(service.extends.file);
    if (Array.isArray(service.volumes)) {
      for (const volume of service.volumes) {
        if (isRecord(volume) && volume.type === 'bind' && typeof volume.source === 'string') volume.source = absolute(volume.source);
      }
    }
  }
  for (const section of ['secrets', 'configs']) {
    for (const entry of Object.values(isRecord(data[section]) ? data[section] : {})) {
      if (isRecord(entry) && typeof entry.file === 'string') entry.file = absolute(entry.file);
    }
  }
  for (const volume of Object.values(isRecord(data.volumes) ? data.volumes : {})) {
    if (!isRecord(volume) || volume.driver !== 'local' || !isRecord(volume.driver_opts)) continue;
    const options = volume.driver_opts;
    if (options.o === 'bind' && typeof options.device === 'string') options.device = absolute(options.device);
  }
}

/** A path made absolute against `baseDir`; `~` and `~/…` are the user's home directory. */
export function absolutePath(path: string, baseDir: string): string {
  if (path === '~') return process.getBuiltinModule('node:os').homedir();
  if (path.startsWith('~/')) return join(process.getBuiltinModule('node:os').homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
