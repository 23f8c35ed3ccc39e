/** Resolves to undefined when the engine answers with one of `codes` (404 gone, 304 already so). */
export async function ignoreStatus<T>(request: Promise<T>, ...codes: number[]): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (codes.includes((error as { statusCode?: number }).statusCode ?? 0)) return undefined;
    throw error;
  }
}

/** Resolves to undefined when the resource went away after the list call that named it. */
export function ignoreNotFound<T>(request: Promise<T>): Promise<T | undefined> {
  return ignoreStatus(request, 404);
}

/** Code-point order, so that output does not depend on the locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The engine's message from a dockerode error (`(HTTP code 409) conflict - <message>`), without the wrapping. */
export function engineMessage(error: unknown): string {
  const json = (error as { json?: { message?: string } }).json;
  if (json?.message) return json.message;
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^\(HTTP code \d+\) [^-]+- /, '').trim();
}
