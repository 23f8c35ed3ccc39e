/** Where something was written: a file, a 1-based line and column, and the key path in the document. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  /** Key path in compose terms, e.g. `services.web.ports[1]`. */
  path?: string;
  /** The source line the location points into, for showing with a caret. */
  excerpt?: string;
}

export interface TscomposeErrorOptions {
  location?: SourceLocation;
  hint?: string;
  cause?: unknown;
}

/** Base of every error tscompose raises on purpose: carries where it came from and a hint. */
export class TscomposeError extends Error {
  readonly location?: SourceLocation;
  readonly hint?: string;

  constructor(message: string, options: TscomposeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.location = options.location;
    this.hint = options.hint;
  }

  get file(): string | undefined {
    return this.location?.file;
  }
  get line(): number | undefined {
    return this.location?.line;
  }
  get column(): number | undefined {
    return this.location?.column;
  }
  get path(): string | undefined {
    return this.location?.path;
  }
}

/** Anything wrong with the compose files or the options that name them; raised before any engine is touched. */
export class LoaderError extends TscomposeError {}
/** No compose file found, or a named one that cannot be read. */
export class ComposeFileNotFoundError extends LoaderError {}
/** A compose file past the size tscompose reads (MAX_COMPOSE_FILE_BYTES). */
export class ComposeFileTooLargeError extends LoaderError {}
/** YAML that does not parse, has duplicate keys, or holds several documents. */
export class YamlSyntaxError extends LoaderError {}
/** `${VAR:?message}` with VAR unset, or a malformed `${…}`. */
export class InterpolationError extends LoaderError {}
/** The file does not match the compose schema (unknown key, wrong type, bad value). */
export class SchemaError extends LoaderError {}
/** A name that points nowhere: a network, a service in depends_on, links, network_mode, extends. */
export class UnresolvedReferenceError extends LoaderError {}
/** extends (or include) that comes back to where it started. */
export class ResolutionCycleError extends LoaderError {}
/** depends_on that loops back on itself. */
export class DependencyCycleError extends LoaderError {}
/** A port that cannot be parsed or is out of range. */
export class PortSyntaxError extends LoaderError {}
/** Settings that are each valid but cannot go together (network_mode with networks, the same host port twice…). */
export class ConfigConflictError extends LoaderError {}
/** An explicit project name that compose would reject. */
export class ProjectNameError extends LoaderError {}
/** A command-line usage mistake. */
export class UsageError extends TscomposeError {}

/** A service named on the command line that the project does not have: exit 1 as with compose, not a usage error (the words were right, the project is not). */
export class NoSuchServiceError extends TscomposeError {}

/** Several independent errors found in one run, reported together. */
export class ComposeErrors extends TscomposeError {
  readonly errors: readonly TscomposeError[];

  constructor(errors: readonly TscomposeError[]) {
    super(errors.length === 1 ? errors[0]!.message : `${errors.length} problems found`);
    this.errors = errors;
  }
}

/** Throws the collected errors: one as itself, several together; nothing when there are none. */
export function throwIfAny(errors: readonly TscomposeError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ComposeErrors(errors);
}

/** The individual errors behind an error, flattening ComposeErrors. */
export function flattenErrors(error: unknown): unknown[] {
  return error instanceof ComposeErrors ? [...error.errors] : [error];
}
