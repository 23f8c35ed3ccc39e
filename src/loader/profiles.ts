import { UnresolvedReferenceError, type TscomposeError } from '../errors.js';
import { isRecord } from './canonicalize.js';
import type { LoaderWarning } from './parse.js';
import type { Locator } from './locator.js';

type Data = Record<string, unknown>;

/**
 * Profiles named with --profile and COMPOSE_PROFILES (comma-separated); `*` enables all. A service
 * named on the command line adds its own profiles, as compose-go's WithServicesEnabled does.
 */
export function activeProfiles(flags: readonly string[], environmentValue: string | undefined, services: Data = {}, named: readonly string[] = []): Set<string> {
  const fromEnv = (environmentValue ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const active = new Set([...flags, ...fromEnv]);
  for (const name of named) {
    const service = services[name];
    if (isRecord(service) && !isEnabled(service, active)) for (const profile of service.profiles as string[]) active.add(profile);
  }
  return active;
}

function isEnabled(service: Data, active: ReadonlySet<string>): boolean {
  const profiles = Array.isArray(service.profiles) ? (service.profiles as string[]) : [];
  return profiles.length === 0 || active.has('*') || profiles.some((profile) => active.has(profile));
}

/**
 * Leaves out services none of whose profiles is active. A required dependency on such a
 * service is an error that names the profile to enable; an optional one is dropped with a warning.
 */
export function applyProfiles(services: Data, active: ReadonlySet<string>, locator: Locator, warnings: LoaderWarning[]): { disabled: string[]; all: string[]; errors: TscomposeError[] } {
  const all = [...new Set(Object.values(services).flatMap((service) => (isRecord(service) && Array.isArray(service.profiles) ? (service.profiles as string[]) : [])))].sort();
  const disabled = Object.keys(services).filter((name) => isRecord(services[name]) && !isEnabled(services[name] as Data, active));
  const errors: TscomposeError[] = [];
  if (disabled.length === 0) return { disabled, all, errors };
  const disabledSet = new Set(disabled);
  for (const name of disabled) delete services[name];
  for (const [name, service] of Object.entries(services)) {
    if (!isRecord(service) || !isRecord(service.depends_on)) continue;
    for (const [dependency, settings] of Object.entries(service.depends_on)) {
      if (!disabledSet.has(dependency)) continue;
      const path = `services.${name}.depends_on.${dependency}`;
      if (isRecord(settings) && settings.required === false) {
        delete service.depends_on[dependency];
        warnings.push({ message: `${name} depends on ${dependency}, which is not enabled by any active profile; skipping it`, location: locator.locate(path, 'key') });
        continue;
      }
      errors.push(
        new UnresolvedReferenceError(`service "${name}" depends on "${dependency}", which no active profile enables`, {
          location: locator.locate(path, 'key'),
          hint: `enable one of its profiles with --profile (or COMPOSE_PROFILES)`,
        }),
      );
    }
  }
  return { disabled, all, errors };
}
