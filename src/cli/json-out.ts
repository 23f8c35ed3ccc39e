/**
 * Writes `JSON.stringify(value, null, 2) + '\n'` in pieces: the arrays of a large plan or
 * configuration (thousands of containers and operations) are written an element at a time, in
 * writes of about 64 KiB that wait for the stream to drain, so that the whole text (85 MB for
 * 10,000 services) is never held, neither as one string nor queued behind a slow pipe.
 * The output is byte for byte what JSON.stringify gives.
 */
export async function writeJson(value: unknown, stdout: NodeJS.WritableStream): Promise<void> {
  let chunk: string[] = [];
  let size = 0;
  const flush = async () => {
    const text = chunk.join('');
    chunk = [];
    size = 0;
    if (!stdout.write(text)) await new Promise<void>((resolve) => stdout.once('drain', resolve));
  };
  for (const piece of jsonPieces(value, '')) {
    chunk.push(piece);
    size += piece.length;
    if (size >= CHUNK) await flush();
  }
  chunk.push('\n');
  await flush();
}

const CHUNK = 65_536;

/** Below this many elements an array or object is stringified whole: pieces pay off only for large ones. */
const PIECEWISE_FROM = 64;

function* jsonPieces(value: unknown, indent: string): Generator<string> {
  const json = toJsonValue(value);
  if (Array.isArray(json) && json.length >= PIECEWISE_FROM) {
    const inner = `${indent}  `;
    yield '[';
    for (const [index, item] of json.entries()) {
      yield index === 0 ? `\n${inner}` : `,\n${inner}`;
      // As JSON.stringify: an element that has no JSON form is null.
      const element = toJsonValue(item);
      if (hasNoJsonForm(element)) yield 'null';
      else yield* jsonPieces(element, inner);
    }
    yield `\n${indent}]`;
    return;
  }
  if (json !== null && typeof json === 'object' && !Array.isArray(json) && isLarge(json)) {
    const inner = `${indent}  `;
    let first = true;
    yield '{';
    for (const [key, item] of Object.entries(json)) {
      const member = toJsonValue(item);
      if (hasNoJsonForm(member)) continue;
      yield `${first ? '\n' : ',\n'}${inner}${JSON.stringify(key)}: `;
      first = false;
      yield* jsonPieces(member, inner);
    }
    yield first ? '}' : `\n${indent}}`;
    return;
  }
  const text = JSON.stringify(json, null, 2);
  yield indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}

function hasNoJsonForm(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** Whether an object holds a large array or object among its own members (a plan's containers, operations). */
function isLarge(object: object): boolean {
  for (const item of Object.values(object)) {
    if (Array.isArray(item) && item.length >= PIECEWISE_FROM) return true;
    if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length >= PIECEWISE_FROM) return true;
  }
  return false;
}

function toJsonValue(value: unknown): unknown {
  return value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON: () => unknown }).toJSON() : value;
}
