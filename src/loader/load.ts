import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ComposeFileNotFoundError, LoaderError, throwIfAny, YamlSyntaxError, type TscomposeError } from '../errors.js';
import { isRecord } from './canonicalize.js';
import { Chain } from './chain.js';
import { checkNetworks } from './check-networks.js';
import { checkResources } from './check-resources.js';
import { checkServices } from './check-services.js';
import { checkProject } from './checks.js';
import { addImplicitDependencies } from './dependencies.js';
import { discoverComposeFiles, resolveNamedFiles, STDIN } from './discover.js';
import { parseEnvFile } from './env-file.js';
import { resolveExtends } from './extends.js';
import type { Environment } from './interpolate.js';
import { Locator } from './locator.js';
import { checkStack } from './stack-checks.js';
import { mergeComposeData } from './merge.js';
import type { ComposeProject } from './model.js';
import { normalizeProject } from './normalize.js';
import { resolveRelativePaths } from './paths.js';
import { missingKeyOf } from './validate.js';
import type { LoaderWarning } from './parse.js';
import { activeProfiles, applyProfiles } from './profiles.js';
import { resolveProjectName } from './project-name.js';
import { checkComposeSize, readComposeDocument, readComposeText, type ComposeDocument } from './read-file.js';
import type { SourceFile } from './source-file.js';
import { checkOptions } from '../arguments.js';

export interface LoadOptions {
  /** Where discovery starts and relative -f paths resolve (default: process.cwd()). */
  workingDir?: string;
  /** `-f`, in order; `-` reads `stdin`. */
  files?: string[];
  /** `--project-directory`. */
  projectDirectory?: string;
  /** `-p`. */
  projectName?: string;
  /** `--env-file`, in order (later ones win); replaces the project's `.env`. */
  envFiles?: string[];
  /** `--profile`. */
  profiles?: string[];
  /** Services named on the command line: their profiles are enabled, as compose enables a service it is asked for. */
  services?: string[];
  /** The process environment (default: process.env); it wins over env files. */
  environment?: Environment;
  /** The text of standard input, for `-f -`. */
  stdin?: string;
  /** `config --no-consistency`: let through services that cannot run (neither image nor build), as compose's flag does. */
  consistency?: boolean;
  /** What the project will run on: one engine (`up`) or a swarm (`stack deploy`), which can do other things. */
  target?: LoadTarget;
}

export type LoadTarget = 'engine' | 'swarm';

export interface LoadResult {
  project: ComposeProject;
  warnings: LoaderWarning[];
}

/**
 * Loads a compose project as `docker compose` would: finds the files, reads `.env`,
 * interpolates, validates, merges (with extends, include, profiles), normalizes and checks.
 * Throws a LoaderError (or ComposeErrors for several) naming file, line and column.
 */
export function loadProject(options: LoadOptions = {}): LoadResult {
  checkOptions(options, 'load');
  const warnings: LoaderWarning[] = [];
  const workingDir = resolve(options.workingDir ?? process.cwd());
  const processEnvironment = options.environment ?? process.env;

  // COMPOSE_FILE and COMPOSE_PROJECT_NAME may come from the .env of the directory we start in.
  const explicitProjectDir = options.projectDirectory === undefined ? undefined : resolve(workingDir, options.projectDirectory);
  // As in compose, COMPOSE_ENV_FILES (comma-separated) stands for --env-file when none is given.
  const envFiles = options.envFiles?.length ? options.envFiles : processEnvironment.COMPOSE_ENV_FILES?.split(',').filter(Boolean);
  let environment = resolveEnvironment(explicitProjectDir ?? workingDir, envFiles, processEnvironment, workingDir);
  const named = options.files?.length ? options.files : environment.COMPOSE_FILE?.split(environment.COMPOSE_PATH_SEPARATOR || ':').filter(Boolean);
  const files = named?.length ? resolveNamedFiles(named, workingDir) : discoverComposeFiles(explicitProjectDir ?? workingDir, warnings);
  const firstFile = files[0]!;
  const projectDir = explicitProjectDir ?? (firstFile === STDIN ? workingDir : dirname(firstFile));
  if (projectDir !== (explicitProjectDir ?? workingDir)) environment = resolveEnvironment(projectDir, envFiles, processEnvironment, workingDir);

  const reader = new DocumentCache(environment, warnings, options.stdin, projectDir);
  const { data, sources, empty } = loadFiles(files, reader);
  if (empty) throw new YamlSyntaxError('the compose file is empty', { location: sources[0]!.at(0), hint: 'a compose file needs at least a services: section' });
  const locator = new Locator(sources);

  const nameInFile = typeof data.name === 'string' ? { name: data.name, location: locator.locate('name') } : undefined;
  const projectName = resolveProjectName({ flag: options.projectName, environment: environment.COMPOSE_PROJECT_NAME, file: nameInFile, projectDir });

  const services = isRecord(data.services) ? data.services : {};
  addImplicitDependencies(services, locator);
  const profiles = applyProfiles(services, activeProfiles(options.profiles ?? [], environment.COMPOSE_PROFILES, services, options.services ?? []), locator, warnings);
  throwIfAny(profiles.errors);

  const { project, errors } = normalizeProject(data, {
    projectName,
    projectDir,
    configFiles: files,
    environment,
    disabledServices: profiles.disabled,
    allProfiles: profiles.all,
    locator,
  });
  const stack = options.target === 'swarm' ? checkStack(project, locator) : { errors: [], warnings: [] };
  warnings.push(...stack.warnings);
  const consistency = { consistency: options.consistency ?? true };
  throwIfAny([
    ...errors,
    ...checkProject(project, locator, { ...consistency, ...(options.target ? { target: options.target } : {}) }),
    ...checkNetworks(project, locator),
    ...checkResources(project, locator, consistency),
    ...checkServices(project, locator, consistency),
    ...stack.errors,
  ]);
  return { project, warnings };
}

/** The variables for interpolation: env files (`--env-file`, else the project's `.env`), then the process environment over them. */
function resolveEnvironment(projectDir: string, envFiles: string[] | undefined, processEnvironment: Environment, workingDir: string): Record<string, string> {
  const fromProcess: Record<string, string> = {};
  for (const [key, value] of Object.entries(processEnvironment)) if (value !== undefined) fromProcess[key] = value;
  const paths = envFiles?.length ? envFiles.map((file) => resolve(workingDir, file)) : [resolve(projectDir, '.env')];
  const fromFiles: Record<string, string> = {};
  for (const path of paths) {
    if (!existsSync(path)) {
      if (envFiles?.length) throw new ComposeFileNotFoundError(`env file not found: ${path}`);
      continue;
    }
    Object.assign(fromFiles, parseEnvFile(path, readFileSync(path, 'utf8'), { ...fromFiles, ...fromProcess }));
  }
  return { ...fromFiles, ...fromProcess };
}

/**
 * Reads each file once, whoever asks for it (-f, extends, include). `extends.file` is looked up
 * from the working directory of the project being read (the project directory, an include's
 * project directory) or, in a file that was itself extended, from that file's directory.
 */
class DocumentCache {
  private readonly documents = new Map<string, ComposeDocument>();

  constructor(
    readonly environment: Environment,
    private readonly warnings: LoaderWarning[],
    private readonly stdin: string | undefined,
    private readonly workingDir: string,
  ) {}

  read(path: string, workingDir = this.workingDir): ComposeDocument {
    const key = `${workingDir}\0${path}`;
    let document = this.documents.get(key);
    if (!document) {
      const text = path === STDIN ? (this.stdin ?? readFileSync(0, 'utf8')) : readComposeText(path);
      if (path === STDIN) checkComposeSize(path, Buffer.byteLength(text));
      document = readComposeDocument(path, text, this.environment, this.warnings);
      // Cached before its extends are resolved: a file that extends from itself, or from a file
      // that extends back, then finds it here and the extends chain reports the cycle.
      this.documents.set(key, document);
      try {
        resolveExtends(document, workingDir, (other) => this.read(other, dirname(other)));
      } catch (error) {
        // What the schema refused likely explains it: report that first.
        throwIfAny([...document.schemaErrors.filter((schemaError) => missingKeyOf(schemaError) === undefined), error as TscomposeError]);
      }
    }
    return document;
  }

  /** The reader of an included project: its own variables and working directory. */
  forInclude(environment: Environment, workingDir: string): DocumentCache {
    return new DocumentCache(environment, this.warnings, this.stdin, workingDir);
  }
}

/** Reads and merges the files in order; their `include:` entries are loaded and added first. */
function loadFiles(files: readonly string[], reader: DocumentCache, chain = Chain.EMPTY): { data: Record<string, unknown>; sources: SourceFile[]; empty: boolean } {
  const sources: SourceFile[] = [];
  const errors: TscomposeError[] = [];
  const documents: ComposeDocument[] = [];
  for (const file of files) {
    try {
      documents.push(reader.read(file));
    } catch (error) {
      // Keep going so that every file's problems are reported in one run.
      errors.push(error as TscomposeError);
    }
  }
  throwIfAny(errors);
  let data: Record<string, unknown> = {};
  for (const [index, document] of documents.entries()) {
    // A key the schema requires may come from the files before (compose checks each file merged with them).
    errors.push(...document.schemaErrors.filter((error) => {
      const missing = missingKeyOf(error);
      return missing === undefined || !hasKey(data, missing);
    }));
    sources.push(document.source);
    const included = loadIncludes(document, reader, sources, chain.enter(document.source.path).chain ?? chain);
    const own = addIncluded(document.data, included);
    // mergeComposeData copies what it takes, so the cached documents stay as read. The first
    // document without merge tags is taken as it is (the copy was a third of loading a large
    // file): the cache is not read again once the files are merged.
    data = index === 0 && !document.hasMergeTags ? { ...own } : mergeComposeData(data, own);
  }
  throwIfAny(errors);
  // An empty file among others adds nothing; compose refuses only a project of empty files.
  return { data, sources, empty: documents.every((document) => document.empty) };
}

/** Whether the mapping at a dotted key path (`services.web.depends_on.db`) holds `key`. */
function hasKey(data: Record<string, unknown>, { path, key }: { path: string; key: string }): boolean {
  let node: unknown = data;
  for (const segment of path.split('.')) node = isRecord(node) ? node[segment] : undefined;
  return isRecord(node) && node[key] !== undefined;
}

/** `include:` entries of a document, each loaded as its own project and merged together; `chain`: the files whose includes led here, this one last. */
function loadIncludes(document: ComposeDocument, reader: DocumentCache, sources: SourceFile[], chain: Chain): Record<string, unknown> | undefined {
  const entries = document.data.include;
  if (!Array.isArray(entries) || entries.length === 0) return undefined;
  const baseDir = document.source.path === STDIN ? process.cwd() : dirname(document.source.path);
  let merged: Record<string, unknown> = {};
  entries.forEach((entry, index) => {
    const spec: Record<string, unknown> = isRecord(entry) ? entry : { path: entry };
    const paths = (Array.isArray(spec.path) ? spec.path : [spec.path]).map((p) => resolve(baseDir, String(p)));
    for (const path of paths) {
      if (!existsSync(path)) {
        throw new ComposeFileNotFoundError(`included file not found: ${path}`, { location: document.source.locate(`include[${index}]`) });
      }
      const { cycle } = chain.enter(path);
      if (cycle) {
        throw new LoaderError(`include cycle: ${cycle.join(' → ')}`, { location: document.source.locate(`include[${index}]`), hint: 'a file cannot include itself, directly or through other files' });
      }
    }
    const projectDir = typeof spec.project_directory === 'string' ? resolve(baseDir, spec.project_directory) : dirname(paths[0]!);
    const envFiles = spec.env_file === undefined ? undefined : (Array.isArray(spec.env_file) ? spec.env_file : [spec.env_file]).map((file) => resolve(baseDir, String(file)));
    const environment = resolveEnvironment(projectDir, envFiles, reader.environment, baseDir);
    const { data, sources: includedSources } = loadFiles(paths, reader.forInclude(environment, projectDir), chain);
    sources.unshift(...includedSources);
    // An included project's relative paths are relative to its own project directory,
    // and its value-less `environment: [VAR]` entries take its own variables.
    resolveRelativePaths(data, projectDir);
    fillBareEnvironment(data, environment);
    delete data.name;
    merged = mergeComposeData(merged, data);
  });
  return merged;
}

function fillBareEnvironment(data: Record<string, unknown>, environment: Environment): void {
  for (const service of Object.values(isRecord(data.services) ? data.services : {})) {
    if (!isRecord(service) || !isRecord(service.environment)) continue;
    for (const [key, value] of Object.entries(service.environment)) {
      if (value === null && environment[key] !== undefined) service.environment[key] = environment[key];
    }
  }
}

const INCLUDED_SECTIONS = ['services', 'networks', 'volumes', 'secrets', 'configs', 'models'];

/**
 * Adds included resources to a document. One the document defines itself is merged into the
 * included one, the document winning (its `!reset`/`!override` apply), as compose-go does since
 * "Allow importing compose file to override resource definition".
 */
function addIncluded(own: Record<string, unknown>, included: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!included) return own;
  const result: Record<string, unknown> = { ...own };
  delete result.include;
  for (const section of INCLUDED_SECTIONS) {
    const theirs = isRecord(included[section]) ? included[section] : {};
    const ours = isRecord(own[section]) ? own[section] : {};
    if (Object.keys(theirs).length === 0) continue;
    const combined: Record<string, unknown> = { ...theirs };
    for (const [key, value] of Object.entries(ours)) {
      // Only what both define is merged now; the rest keeps its merge tags for the files before this one.
      combined[key] = key in theirs ? (mergeComposeData({ [section]: { [key]: theirs[key] } }, { [section]: { [key]: value } })[section] as Record<string, unknown>)[key] : value;
    }
    result[section] = combined;
  }
  return result;
}
