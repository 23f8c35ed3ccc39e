import { isRecord } from './canonicalize.js';
import type { Locator } from './locator.js';
import { pathOf, type PathSegment } from './source-file.js';

type Data = Record<string, unknown>;

/** A service named by another's settings, and where it is named (`links[0]`, `network_mode`). */
export interface ServiceReference {
  service: string;
  /** Below the service, the setting first: `['links', 0]`, `['network_mode']`. */
  path: [string, ...PathSegment[]];
  /** Whether the dependent restarts with it: compose-go sets it for links and shared namespaces, not for volumes_from. */
  restart: boolean;
}

/** Namespaces a service can share with another as `service:NAME` (the schema allows `cgroup` only host or private). */
const SHARED_NAMESPACES = ['network_mode', 'ipc', 'pid', 'uts'];

/** The services a service refers to outside depends_on, in compose-go's order: links, shared namespaces, volumes_from. */
export function serviceReferences(service: Data): ServiceReference[] {
  // Most services refer to none: found without building anything.
  if (service.links === undefined && service.volumes_from === undefined && !SHARED_NAMESPACES.some((key) => service[key] !== undefined)) return [];
  const references: ServiceReference[] = [];
  const links = Array.isArray(service.links) ? service.links : [];
  links.forEach((link, index) => references.push({ service: String(link).split(':')[0]!, path: ['links', index], restart: true }));
  for (const key of SHARED_NAMESPACES) {
    const value = service[key];
    if (typeof value === 'string' && value.startsWith('service:')) references.push({ service: value.slice('service:'.length), path: [key], restart: true });
  }
  const volumesFrom = Array.isArray(service.volumes_from) ? service.volumes_from : [];
  volumesFrom.forEach((entry, index) => {
    const text = String(entry);
    if (!text.startsWith('container:')) references.push({ service: text.split(':')[0]!, path: ['volumes_from', index], restart: false });
  });
  return references;
}

/**
 * As compose-go's Normalize: a service depends on every service it refers to (started, required;
 * restarting with it as `restart` says), unless depends_on names that service itself. A reference
 * to itself adds nothing: checkProject refuses it. Runs on the merged files, before profiles, so
 * that a reference to a disabled service is refused as a required dependency on one.
 */
export function addImplicitDependencies(services: Data, locator: Locator): void {
  for (const [name, service] of Object.entries(services)) {
    if (!isRecord(service)) continue;
    const dependsOn: Data = isRecord(service.depends_on) ? service.depends_on : {};
    for (const reference of serviceReferences(service)) {
      if (reference.service === name || reference.service in dependsOn) continue;
      dependsOn[reference.service] = reference.restart ? { condition: 'service_started', restart: true, required: true } : { condition: 'service_started', required: true };
      locator.alias(pathOf(['services', name, 'depends_on', reference.service]), pathOf(['services', name, ...reference.path]));
    }
    if (Object.keys(dependsOn).length > 0) service.depends_on = dependsOn;
  }
}
