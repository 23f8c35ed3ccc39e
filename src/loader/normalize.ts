import { readFileSync } from 'node:fs';
import { LoaderError, type TscomposeError } from '../errors.js';
import { isRecord } from './canonicalize.js';
import { parseEnvFile } from './env-file.js';
import type { Environment } from './interpolate.js';
import type { Locator } from './locator.js';
import type { ComposeProject, NetworkConfig, ServiceConfig } from './model.js';
import { resolveRelativePaths } from './paths.js';

type Data = Record<string, unknown>;

export interface NormalizeContext {
  projectName: string;
  projectDir: string;
  configFiles: string[];
  environment: Environment;
  disabledServices: string[];
  allProfiles: string[];
  locator: Locator;
}

const LIST_DEFAULTS = ['ports', 'expose', 'links', 'external_links', 'dns', 'dns_search', 'dns_opt', 'extra_hosts'] as const;

/**
 * Turns merged data into the typed model: defaults filled in, the `default` network added
 * where a service names none, engine-side names for networks and volumes, env files read
 * into `environment`, relative paths made absolute against the project directory.
 */
export function normalizeProject(data: Data, context: NormalizeContext): { project: ComposeProject; errors: TscomposeError[] } {
  const errors: TscomposeError[] = [];
  resolveRelativePaths(data, context.projectDir);
  const services: Record<string, ServiceConfig> = {};
  let usesDefaultNetwork = false;
  for (const [name, raw] of Object.entries(isRecord(data.services) ? data.services : {})) {
    const service = normalizeService(name, isRecord(raw) ? raw : {}, context, errors);
    if (service.networks && 'default' in service.networks) usesDefaultNetwork = true;
    services[name] = service;
  }

  const networks: Record<string, NetworkConfig> = {};
  const declaredNetworks = isRecord(data.networks) ? data.networks : {};
  if (usesDefaultNetwork && !('default' in declaredNetworks)) declaredNetworks.default = {};
  for (const [key, raw] of Object.entries(declaredNetworks)) {
    networks[key] = { ...(isRecord(raw) ? raw : {}), name: engineName(key, isRecord(raw) ? raw : {}, context.projectName) } as NetworkConfig;
  }

  const extensions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (key.startsWith('x-')) extensions[key] = value;
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(context.environment)) if (value !== undefined) environment[key] = value;

  const project: ComposeProject = {
    name: context.projectName,
    working_dir: context.projectDir,
    config_files: context.configFiles,
    services,
    networks,
    volumes: namedResources(data.volumes, context.projectName),
    secrets: namedResources(data.secrets, context.projectName),
    configs: namedResources(data.configs, context.projectName),
    disabled_services: context.disabledServices,
    profiles: context.allProfiles,
    extensions,
    environment,
  };
  return { project, errors };
}

function normalizeService(name: string, raw: Data, context: NormalizeContext, errors: TscomposeError[]): ServiceConfig {
  // Entry by entry rather than `{ ...raw, name }`: a spread at a site that sees many shapes gives every service a V8 hidden
  // class of its own, and then every read of a service's field (the planner makes dozens per replica) misses V8's caches.
  const copy: Data = {};
  for (const key in raw) copy[key] = raw[key];
  copy.name = name;
  const service = copy as unknown as ServiceConfig;
  service.environment = resolveEnvironment(name, raw, context, errors);
  service.labels = { ...readLabelFiles(name, raw, context, errors), ...((raw.labels as Record<string, string>) ?? {}) };
  // Defaults are filled after the merge, so that an override's `{required: false}` keeps the condition of the file before.
  service.depends_on = dependencies(raw.depends_on);
  for (const key of LIST_DEFAULTS) service[key] = (raw[key] as never) ?? [];
  if (raw.network_mode === undefined && raw.networks === undefined) service.networks = { default: null };
  if (isRecord(raw.build)) {
    service.build = { ...raw.build, context: raw.build.context ?? context.projectDir, dockerfile: raw.build.dockerfile_inline === undefined ? (raw.build.dockerfile ?? 'Dockerfile') : raw.build.dockerfile };
    if (isRecord(raw.build.args)) service.build.args = buildArgs(raw.build.args, context.environment);
  }
  return service;
}

/** depends_on with its defaults, each entry in compose's order (condition, restart, required), restart only when true, as compose-go's omitempty prints it. */
function dependencies(dependsOn: unknown): ServiceConfig['depends_on'] {
  const out: Record<string, Data> = {};
  if (!isRecord(dependsOn)) return {};
  for (const dependency in dependsOn) {
    const value = dependsOn[dependency];
    const settings: Data = isRecord(value) ? value : {};
    const entry: Data = { condition: settings.condition ?? 'service_started' };
    if (settings.restart === true) entry.restart = true;
    entry.required = settings.required ?? true;
    for (const key in settings) if (key !== 'condition' && key !== 'restart' && key !== 'required') entry[key] = settings[key];
    out[dependency] = entry;
  }
  return out as unknown as ServiceConfig['depends_on'];
}

/** A build argument without a value takes the client's, and is left out when that has none, as compose-go normalizes it. */
function buildArgs(args: Data, environment: Environment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(args)) {
    const resolved = value === null ? environment[key] : String(value);
    if (resolved !== undefined) out[key] = resolved;
  }
  return out;
}

/** `env_file` entries read in order, then `environment` over them; a bare `FOO` takes the client's value. */
function resolveEnvironment(name: string, raw: Data, context: NormalizeContext, errors: TscomposeError[]): Record<string, string | null> {
  const result: Record<string, string | null> = {};
  const envFiles = Array.isArray(raw.env_file) ? raw.env_file : [];
  envFiles.forEach((entry, index) => {
    const spec: Record<string, unknown> = isRecord(entry) ? entry : { path: entry };
    const path = String(spec.path);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      if (spec.required === false) return;
      errors.push(new LoaderError(`env file ${path} not found (services.${name}.env_file)`, { location: context.locator.locate(`services.${name}.env_file[${index}]`) }));
      return;
    }
    try {
      Object.assign(result, parseEnvFile(path, text, context.environment));
    } catch (error) {
      errors.push(error as TscomposeError);
    }
  });
  if (isRecord(raw.environment)) {
    const environment = raw.environment as Record<string, string | null>;
    for (const key in environment) result[key] = environment[key] ?? context.environment[key] ?? null;
  }
  return result;
}

/** `label_file` entries (KEY=value lines, as env files), read in order; `labels` win over them, as in compose-go. */
function readLabelFiles(name: string, raw: Data, context: NormalizeContext, errors: TscomposeError[]): Record<string, string> {
  const labels: Record<string, string> = {};
  (Array.isArray(raw.label_file) ? raw.label_file : []).forEach((file, index) => {
    const path = String(file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      errors.push(new LoaderError(`label file ${path} not found (services.${name}.label_file)`, { location: context.locator.locate(`services.${name}.label_file[${index}]`) }));
      return;
    }
    try {
      Object.assign(labels, parseEnvFile(path, text));
    } catch (error) {
      errors.push(error as TscomposeError);
    }
  });
  return labels;
}

function engineName(key: string, config: Data, project: string): string {
  if (typeof config.name === 'string') return config.name;
  return config.external === true ? key : `${project}_${key}`;
}

function namedResources(section: unknown, project: string): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  if (!isRecord(section)) return out;
  for (const [key, raw] of Object.entries(section)) {
    const config = isRecord(raw) ? raw : {};
    out[key] = { ...config, name: engineName(key, config, project) };
  }
  return out;
}
