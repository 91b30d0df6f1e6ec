/**
 * Every reading of the top-level `"id"` of a server frame, with its exact source text. A
 * peer whose parser keeps the first of two keys reads a different id than one keeping
 * the last (JSON.parse, Python's json), so an answer is matched only when there is one.
 */
import { scanEnvelope } from './envelope-scan.js';

/** One top-level `"id"` member as written. */
export interface IdReading {
  value: unknown;
  /** The value's JSON text in the frame (a string with its quotes). */
  raw: string;
}

const ID_KEY = Buffer.from('"id"');
// The only other spellings of the key "id": an escaped "i" or "d".
const ESCAPED_I = Buffer.from('\\u0069');
const ESCAPED_D = Buffer.from('\\u0064');

/**
 * The top-level `"id"` members of `frame`, which must be one JSON object (already parsed
 * once). Undefined when they cannot be read (nesting deeper than the scanner goes).
 * Most frames spell `"id"` once and are read from that spot; the others are scanned.
 */
export function readTopLevelIds(frame: Buffer): IdReading[] | undefined {
  const first = frame.indexOf(ID_KEY);
  if (first === -1 && frame.indexOf(ESCAPED_I) === -1 && frame.indexOf(ESCAPED_D) === -1) return [];
  if (first !== -1 && frame.indexOf(ID_KEY, first + 4) === -1 && frame.indexOf(ESCAPED_I) === -1 && frame.indexOf(ESCAPED_D) === -1) {
    // Spelled once and parsed as a key: the frame's only "id" member is this one.
    const quick = scalarAfterKey(frame, first + 4);
    if (quick !== undefined) return [quick];
  }
  const scan = scanEnvelope(frame, { allowRepeatedKeys: true });
  if (!scan.ok) return undefined;
  return scan.envelope.members.filter((m) => m.key === 'id').map((m) => ({ value: m.value ?? (m.container === 'array' ? [] : {}), raw: m.raw ?? '' }));
}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const DELIMITER = new Set([0x2c, 0x7d, 0x20, 0x09, 0x0a, 0x0d]);

// The scalar after `"id"` at `pos` (`: value`), or undefined when it is not a plain scalar.
function scalarAfterKey(frame: Buffer, pos: number): IdReading | undefined {
  let i = pos;
  while (SPACE.has(frame[i]!)) i++;
  if (frame[i] !== 0x3a) return undefined;
  i++;
  while (SPACE.has(frame[i]!)) i++;
  const start = i;
  if (frame[i] === 0x22) {
    for (i++; i < frame.length && frame[i] !== 0x22; i++) if (frame[i] === 0x5c) i++;
    i++;
  } else {
    while (i < frame.length && !DELIMITER.has(frame[i]!)) i++;
  }
  const raw = frame.toString('utf8', start, Math.min(i, frame.length));
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? undefined : { value, raw };
  } catch {
    return undefined;
  }
}
