/**
 * One decision line, written by hand in the bytes pino writes for it: `{"level":N,"time":…`,
 * the bindings, each defined field, `"msg"`, `}` and a newline. A decision's fields are a few
 * strings, numbers and small objects, and pino's generic path (a log method, a for…in over the
 * fields, its serialiser look-ups per key) cost more than the line itself. Where pino would
 * take a path of its own (a value JSON.stringify cannot write: a cycle, a bigint), this gives
 * up and the caller logs through pino as before, so every line stays pino's.
 */
import { plainJson } from './plain-json.js';

/** A line's fixed start: the level's number and nothing else (pino's `{"level":N`). */
export function levelPrefix(level: number): string {
  return `{"level":${level}`;
}

/** The bindings every line carries after its time, as pino writes them (JSON.stringify per value). */
export function bindingsText(bindings: Record<string, string>): string {
  let text = '';
  for (const [key, value] of Object.entries(bindings)) text += `,${quote(key)}:${JSON.stringify(value)}`;
  return text;
}

/**
 * The whole line (with its newline) for `fields` and `msg` after `prefix` (levelPrefix),
 * `time` (`,"time":"…"`) and `bindings` (bindingsText); undefined when a value needs pino's
 * safe serialiser.
 */
export function decisionLine(prefix: string, time: string, bindings: string, fields: Record<string, unknown>, msg: string): string | undefined {
  let text = prefix + time + bindings;
  for (const key in fields) {
    if (!Object.prototype.hasOwnProperty.call(fields, key)) continue;
    const written = valueText(fields[key]);
    if (written === undefined) return undefined;
    if (written !== LEFT_OUT) text += keyText(key) + written;
  }
  return `${text},"msg":${quote(msg)}}\n`;
}

/** What {@link valueText} gives for a field the line leaves out (no JSON text is empty). */
export const LEFT_OUT = '';

/**
 * A field's value as pino writes it in a line: numbers (not finite: `null`), booleans, strings
 * quoted as pino quotes them, anything else by JSON.stringify. LEFT_OUT for what a line leaves
 * out (undefined, functions, symbols), and undefined when the value needs pino's safe
 * serialiser (a cycle, a bigint): the line is then pino's to write.
 */
export function valueText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'undefined':
    case 'function':
      return LEFT_OUT;
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return quote(value);
    default: {
      // Small plain data (most arguments, the rules) is written by hand, in the same bytes.
      const plain = plainJson(value);
      if (plain !== undefined) return plain;
      try {
        return JSON.stringify(value) ?? LEFT_OUT;
      } catch {
        return undefined;
      }
    }
  }
}

// A line's keys are nearly always the same few (a decision's fields): each one's `,"key":` is
// made once and kept, up to a bound, instead of quoting it again on every line.
const KEY_TEXTS = new Map<string, string>();
const MAX_KEY_TEXTS = 256;
const MAX_KEY_CHARS = 64;

function keyText(key: string): string {
  let made = KEY_TEXTS.get(key);
  if (made === undefined) {
    made = `,${quote(key)}:`;
    if (key.length <= MAX_KEY_CHARS && KEY_TEXTS.size < MAX_KEY_TEXTS) KEY_TEXTS.set(key, made);
  }
  return made;
}

/**
 * A string as pino quotes it: short text without control characters gets only `"` and `\`
 * escaped; anything else goes to JSON.stringify.
 */
export function quote(text: string): string {
  const length = text.length;
  if (length > 100) return JSON.stringify(text);
  let escapes = false;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 32) return JSON.stringify(text);
    if (code === 34 || code === 92) escapes = true;
  }
  return escapes ? `"${text.replace(/["\\]/g, '\\$&')}"` : `"${text}"`;
}
