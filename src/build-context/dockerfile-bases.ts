/**
 * The images a Dockerfile builds FROM, so that the build can be given the credentials of their
 * registries. Stage names (`FROM base AS final` … `FROM final`), `scratch`, and references
 * that depend on a build argument the build does not set are left out.
 */
export function dockerfileBaseImages(dockerfile: string, buildArgs: Readonly<Record<string, string>> = {}): string[] {
  const stages = new Set<string>();
  const images = new Set<string>();
  // Line continuations join a FROM that spans lines; comments are whole lines.
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  const declared: Record<string, string> = {};
  for (const line of lines) {
    const from = /^\s*FROM\s+((?:--\S+\s+)*)(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!from) {
      // ARGs before the first FROM may be used in it, with their defaults.
      const arg = images.size === 0 && stages.size === 0 ? /^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?/i.exec(line) : null;
      if (arg && arg[2] !== undefined) declared[arg[1]!] = arg[2].replace(/^"(.*)"$/, '$1');
      continue;
    }
    const reference = expand(from[2]!, { ...declared, ...buildArgs });
    if (reference !== undefined && reference !== 'scratch' && !stages.has(reference.toLowerCase())) images.add(reference);
    if (from[3]) stages.add(from[3].toLowerCase());
  }
  return [...images];
}

/** `${NAME}`, `$NAME` and `${NAME:-default}` replaced; undefined when a variable has no value. */
function expand(text: string, values: Record<string, string>): string | undefined {
  let unknown = false;
  const expanded = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const value = values[(braced ?? bare)!] ?? fallback;
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  return unknown ? undefined : expanded;
}
