/**
 * isAscii of a frame's bytes, worked out once for a large frame. The engine asks it of one
 * frame several times (decoding it, the long-string parse, the plain-strings check, the
 * one-line check before it is forwarded), each a native pass over all of it: for an 8 MiB
 * result, four passes where one gives the answer. A frame's bytes are not changed once read
 * (the engine only reads them), so the answer holds as long as the frame lives; it is kept
 * in a WeakMap, which lets it go with the frame.
 */
import { isAscii } from 'node:buffer';

/** Frames from this size on have their answer kept; below it, a pass costs less than the look-up. */
export const KEEP_FROM_BYTES = 64 * 1024;

const known = new WeakMap<Uint8Array, boolean>();

/** isAscii(bytes), the same answer for the same frame, computed once when it is large. */
export function asciiFrame(bytes: Uint8Array): boolean {
  if (bytes.length < KEEP_FROM_BYTES) return isAscii(bytes);
  let ascii = known.get(bytes);
  if (ascii === undefined) known.set(bytes, (ascii = isAscii(bytes)));
  return ascii;
}
