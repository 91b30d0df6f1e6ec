/**
 * Whether every string in a JSON frame is plain ASCII (printable, tab, newline, CR), read
 * from the frame's bytes with a few native passes, so that the scan of a large result need
 * not test each of its strings again (src/inspect/results/scan-result.ts).
 */
import { asciiFrame } from './ascii-frame.js';

const BACKSLASH = 0x5c;
const DEL = 0x7f;
// The escapes whose character is plain: \" \\ \/ \n \r \t. (\b, \f and \uXXXX may not be.)
const PLAIN_ESCAPES: ReadonlySet<number> = new Set([0x22, 0x5c, 0x2f, 0x6e, 0x72, 0x74]);
// Past one escape in this many bytes, the walk over them stops and the answer is "not known":
// the per-string test is then no dearer than this walk.
const ESCAPES_EVERY = 32;

/**
 * True only when every string of the JSON text in `bytes` (keys and values, once unescaped)
 * holds nothing but printable ASCII, tab, newline and CR. `bytes` must be text that
 * JSON.parse accepted: a raw control character cannot then sit in a string, and every
 * backslash starts an escape. False means "not known", never "not plain".
 */
export function stringsArePlain(bytes: Uint8Array): boolean {
  if (!asciiFrame(bytes) || bytes.indexOf(DEL) !== -1) return false;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const most = Math.floor(bytes.length / ESCAPES_EVERY) + 1;
  let seen = 0;
  for (let at = buffer.indexOf(BACKSLASH); at !== -1; at = buffer.indexOf(BACKSLASH, at + 2)) {
    if (++seen > most || !PLAIN_ESCAPES.has(buffer[at + 1] as number)) return false;
  }
  return true;
}
