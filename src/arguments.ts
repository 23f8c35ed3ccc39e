/**
 * Checks of what a plain-JavaScript caller passes to the library, which TypeScript would have
 * caught: a TypeError that names the call and says what it takes, instead of a crash deep inside.
 */

/** An options object, or nothing. */
export function checkOptions(value: unknown, call: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const hint = typeof value === 'string' ? ` (a directory is given as { workingDir: ${JSON.stringify(value)} })` : '';
    throw new TypeError(`${call}(options): options is an object, not ${describe(value)}${hint}`);
  }
}

/** The options of a call that reads a project and talks to the engine: an object, and what TypeScript types in it. */
export function checkEngineCall(options: unknown, call: string): void {
  checkOptions(options, call);
  const { project, signal, services } = (options ?? {}) as { project?: unknown; signal?: unknown; services?: unknown };
  if (project !== undefined) checkProject(project, `${call}({ project })`);
  checkSignal(signal, call);
  if (services !== undefined && !(Array.isArray(services) && services.every((name) => typeof name === 'string'))) {
    throw new TypeError(`${call}({ services }): services is an array of service names, not ${describe(services)}`);
  }
}

/** A command as the engine runs it: its words, no shell in between. */
export function checkCommand(value: unknown, call: string): void {
  if (!Array.isArray(value) || value.length === 0 || !value.every((word) => typeof word === 'string')) {
    throw new TypeError(`${call}: the command is a non-empty array of strings, e.g. ["psql", "-c", "select 1"], not ${describe(value)}`);
  }
}

export function checkSignal(value: unknown, call: string): void {
  if (value !== undefined && !(value instanceof AbortSignal)) throw new TypeError(`${call}: signal is an AbortSignal (from an AbortController), not ${describe(value)}`);
}

export function checkServiceName(value: unknown, call: string): void {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${call}(service, ...): the service is a name from the compose file, not ${describe(value)}`);
}

/** A loaded project (what `load(...).project` is), for the calls that take one. */
export function checkProject(value: unknown, call: string): void {
  const project = value as { name?: unknown; services?: unknown } | null | undefined;
  if (typeof project === 'object' && project !== null && typeof project.name === 'string' && typeof project.services === 'object' && project.services !== null) return;
  const loadResult = typeof project === 'object' && project !== null && 'project' in project && 'warnings' in project;
  throw new TypeError(`${call}: the project is a loaded compose project, not ${describe(value)}${loadResult ? ': pass load(...).project, not what load(...) returns' : ''}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).slice(0, 5).join(', ') || '(none)'}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
