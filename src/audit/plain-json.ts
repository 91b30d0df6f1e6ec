/**
 * JSON.stringify's text for the small plain values an audit line mostly carries (a call's
 * arguments, its rules), written without the call into the engine's serializer: a handful of
 * short printable strings, numbers, booleans and null in plain objects and arrays. Anything
 * else (an escape to write, a toJSON, a value JSON leaves out, a class instance, a long string,
 * too many values) gives undefined, and the caller asks JSON.stringify as before: either way
 * the line holds the same bytes.
 */

/** Values looked at before giving up (and leaving the value to JSON.stringify). */
const MAX_NODES = 64;
const MAX_DEPTH = 8;
/** Strings longer than this go to JSON.stringify, whose scan is native. */
const MAX_STRING = 256;

let budget = 0;

/** `JSON.stringify(value)` when the value is small plain data needing no escape; else undefined. */
export function plainJson(value: unknown): string | undefined {
  budget = MAX_NODES;
  return write(value, 0);
}

function write(value: unknown, depth: number): string | undefined {
  if (--budget < 0) return undefined;
  switch (typeof value) {
    case 'string':
      return plainString(value);
    case 'number':
      // JSON writes a finite number as its ToString (-0 as 0, like String()); the rest as null.
      return Number.isFinite(value) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return depth < MAX_DEPTH ? container(value, depth) : undefined;
    default:
      return undefined;
  }
}

function container(value: object, depth: number): string | undefined {
  if ((value as { toJSON?: unknown }).toJSON !== undefined) return undefined;
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      const item = write(value[i], depth + 1);
      if (item === undefined) return undefined;
      text += i === 0 ? item : `,${item}`;
    }
    return `${text}]`;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  // Object.keys is the order JSON.stringify writes an object's keys in.
  const keys = Object.keys(value);
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const name = plainString(key);
    const item = name === undefined ? undefined : write((value as Record<string, unknown>)[key], depth + 1);
    if (item === undefined) return undefined;
    text += i === 0 ? `${name}:${item}` : `,${name}:${item}`;
  }
  return `${text}}`;
}

// Printable ASCII without `"` and `\`: JSON.stringify writes such a string between quotes as it is.
function plainString(text: string): string | undefined {
  const length = text.length;
  if (length > MAX_STRING) return undefined;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return undefined;
  }
  return `"${text}"`;
}
