import { ConfigConflictError, UnresolvedReferenceError, type SourceLocation, type TscomposeError } from '../errors.js';
import type { Locator } from './locator.js';
import type { ComposeProject, ServiceConfig } from './model.js';
import type { LoaderWarning } from './parse.js';

/** Service keys a swarm does not use, as `docker stack deploy` lists them (it ignores them with a warning). */
const IGNORED_BY_SWARM = ['build', 'cgroup_parent', 'cgroupns_mode', 'container_name', 'depends_on', 'devices', 'domainname', 'external_links', 'ipc', 'links', 'mac_address', 'network_mode', 'pid', 'privileged', 'restart', 'security_opt', 'shm_size', 'userns_mode', 'volumes_from', 'pull_policy', 'scale'];
/** Sources of a secret or config a swarm object can be made from here. */
const OBJECT_SOURCES = ['file', 'external'];

/**
 * What a compose file can do on a swarm, checked before anything is created: every problem as
 * an error with its place, and one warning naming the keys a swarm ignores and their services.
 */
export function checkStack(project: ComposeProject, locator: Locator): { errors: TscomposeError[]; warnings: LoaderWarning[] } {
  const errors: TscomposeError[] = [];
  const at = (path: string): SourceLocation | undefined => locator.locate(path);
  const ignored = new Map<string, string[]>();
  for (const service of Object.values(project.services)) {
    const base = `services.${service.name}`;
    for (const key of IGNORED_BY_SWARM) {
      if (service[key] === undefined || (key === 'depends_on' && Object.keys(service.depends_on).length === 0) || (Array.isArray(service[key]) && (service[key] as unknown[]).length === 0)) continue;
      ignored.set(key, [...(ignored.get(key) ?? []), service.name]);
    }
    // Neither image nor build is the general check's error already.
    if (service.image === undefined && service.build !== undefined) {
      errors.push(new ConfigConflictError(`service "${service.name}" has no image; a swarm runs images, it does not build them`, { location: at(base), hint: 'build and push the image, then name it with image:' }));
    }
    const deploy = (service.deploy ?? {}) as { mode?: string; replicas?: number; endpoint_mode?: string };
    if (deploy.replicas !== undefined && (deploy.mode === 'global' || deploy.mode === 'global-job')) {
      errors.push(new ConfigConflictError(`service "${service.name}" sets replicas with mode ${deploy.mode}; a global service runs one task per node`, { location: at(`${base}.deploy.replicas`), hint: 'remove replicas, or use mode: replicated' }));
    }
    for (const port of service.ports) {
      const location = at(`${base}.ports`);
      if (port.published?.includes('-')) {
        errors.push(new ConfigConflictError(`service "${service.name}" publishes the port range ${port.published}; a swarm service publishes single ports`, { location, hint: 'publish one port per line' }));
      }
      if (port.host_ip !== undefined) {
        errors.push(new ConfigConflictError(`service "${service.name}" binds a published port to ${port.host_ip}; a swarm publishes on every address of a node`, { location, hint: 'remove the host address' }));
      }
      if (port.mode === 'ingress' && deploy.endpoint_mode === 'dnsrr') {
        errors.push(new ConfigConflictError(`service "${service.name}" publishes port ${port.target} through the routing mesh (ingress) with endpoint_mode dnsrr, which has no virtual IP to route to`, { location, hint: 'publish it with mode: host, or use endpoint_mode: vip' }));
      }
    }
    for (const kind of ['secrets', 'configs'] as const) checkObjectReferences(service, kind, project, at, errors);
  }
  for (const kind of ['secrets', 'configs'] as const) {
    for (const [key, object] of Object.entries(project[kind])) {
      const source = OBJECT_SOURCES.find((name) => object[name] !== undefined && object[name] !== false);
      if (!source) {
        errors.push(new ConfigConflictError(`${kind}.${key} has no file and is not external; a stack makes ${kind} from files`, { location: at(`${kind}.${key}`), hint: 'set file: PATH, or external: true' }));
      }
    }
  }
  const warnings: LoaderWarning[] = [];
  if (ignored.size > 0) {
    const list = [...ignored].map(([key, services]) => `${key} (${services.join(', ')})`).join(', ');
    warnings.push({ message: `a swarm ignores these service keys: ${list}` });
  }
  return { errors, warnings };
}

function checkObjectReferences(service: ServiceConfig, kind: 'secrets' | 'configs', project: ComposeProject, at: (path: string) => SourceLocation | undefined, errors: TscomposeError[]): void {
  const references = Array.isArray(service[kind]) ? (service[kind] as unknown[]) : [];
  references.forEach((entry, index) => {
    const source = typeof entry === 'string' ? entry : (entry as { source?: string }).source;
    if (source !== undefined && project[kind][source] === undefined) {
      errors.push(new UnresolvedReferenceError(`service "${service.name}" uses ${kind.slice(0, -1)} "${source}", which is not declared under top-level ${kind}`, { location: at(`services.${service.name}.${kind}[${index}]`) }));
    }
  });
}
