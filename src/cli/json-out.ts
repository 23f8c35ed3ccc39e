/**
 * Writes `JSON.stringify(value, null, 2) + '\n'` in pieces: the arrays of a large plan or
 * configuration (thousands of containers and operations) are written an element at a time, so
 * that the whole text (85 MB for 10,000 services) is never held as one string.
 * The output is byte for byte what JSON.stringify gives.
 */
export function writeJson(value: unknown, stdout: NodeJS.WritableStream): void {
  const out = new ChunkedWriter(stdout);
  writeValue(value, '', out);
  out.write('\n');
  out.flush();
}

/** Below this many elements an array or object is stringified whole: pieces pay off only for large ones. */
const PIECEWISE_FROM = 64;

function writeValue(value: unknown, indent: string, out: ChunkedWriter): void {
  const json = toJsonValue(value);
  if (Array.isArray(json) && json.length >= PIECEWISE_FROM) {
    const inner = `${indent}  `;
    out.write('[');
    json.forEach((item, index) => {
      out.write(index === 0 ? `\n${inner}` : `,\n${inner}`);
      const element = toJsonValue(item);
      // As JSON.stringify: an element that has no JSON form is null.
      if (element === undefined || typeof element === 'function' || typeof element === 'symbol') out.write('null');
      else writeValue(element, inner, out);
    });
    out.write(`\n${indent}]`);
    return;
  }
  if (json !== null && typeof json === 'object' && !Array.isArray(json) && isLarge(json)) {
    const inner = `${indent}  `;
    let first = true;
    out.write('{');
    for (const [key, item] of Object.entries(json)) {
      const member = toJsonValue(item);
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      out.write(`${first ? '\n' : ',\n'}${inner}${JSON.stringify(key)}: `);
      first = false;
      writeValue(member, inner, out);
    }
    out.write(first ? '}' : `\n${indent}}`);
    return;
  }
  const text = JSON.stringify(json, null, 2);
  out.write(indent === '' ? text : text.replaceAll('\n', `\n${indent}`));
}

/** Whether an object holds a large array or object anywhere in its own members (a plan's containers, operations). */
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

/** Gathers small pieces into writes of about 64 KiB. */
class ChunkedWriter {
  private pieces: string[] = [];
  private size = 0;

  constructor(private readonly stdout: NodeJS.WritableStream) {}

  write(text: string): void {
    this.pieces.push(text);
    this.size += text.length;
    if (this.size >= 65_536) this.flush();
  }

  flush(): void {
    if (this.pieces.length === 0) return;
    this.stdout.write(this.pieces.join(''));
    this.pieces = [];
    this.size = 0;
  }
}
