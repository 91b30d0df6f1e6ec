/**
 * The keyword automaton's read of a long one-byte text (keyword-automaton.ts), fast: the text
 * is copied into a small reused buffer a window at a time (no copy of the whole text), and
 * each window is read as four stretches at once. One stretch is a chain of table look-ups,
 * each waiting on the last; four independent chains keep the processor busy while each waits.
 *
 * Why it finds exactly what one read from the start finds: started at state 0 at offset s, the
 * automaton reports every keyword occurrence that starts at s or later. Each stretch (and each
 * window) starts `longest - 1` bytes before the end of the one before it, so every occurrence
 * (at most `longest` bytes) lies wholly inside one of them. What is reported is a set (outputs
 * reached, each once, and the characters seen); only the order of `reached` may differ.
 */

import { isAscii } from 'node:buffer';
import type { LaneKernel } from './lane-kernel.js';
import type { CharSet } from './required-chars.js';

/** The tables one read needs, built once per automaton (see KeywordAutomaton.lanesTables). */
export interface LaneTables {
  /** Per state row and column, the next state's row (state × width), negated when that state has an output. */
  rows: Int32Array;
  /** ASCII code unit → column. */
  column: Uint8Array;
  width: number;
  /** State → output id, or -1. */
  outputOf: Int32Array;
  /** The longest keyword's length, in code units. */
  longest: number;
  /** The next state from `state` on a code unit above U+007F. */
  stepWide(state: number, code: number): number;
  /** The same four-stretch read compiled (lane-kernel.ts), for windows in its memory; null without it. */
  kernel: LaneKernel | null;
}

/** Where one read records what it reached: stamps, so each output is recorded once. */
export interface LaneMarks {
  stamps: Uint32Array;
  stamp: number;
  reached: number[];
  /** Per byte value, 1 once seen. */
  seen: Uint8Array;
}

/** The bytes of a window, by default. */
export const WINDOW_BYTES = 64 * 1024;
const LANES = 4;
// Shorter windows are read from the start (four stretches need 3q <= n, q = ceil(n / 4)).
const LANES_FROM_BYTES = 64;

/** The rows table: `delta` (states × width) with each entry premultiplied by width, negative where the state has an output. */
export function laneRows(delta: Uint16Array | Int32Array, width: number, outputOf: Int32Array): Int32Array {
  const rows = new Int32Array(delta.length);
  for (let i = 0; i < delta.length; i++) {
    const next = delta[i]!;
    rows[i] = outputOf[next]! >= 0 ? -(next * width) : next * width;
  }
  return rows;
}

/**
 * The characters of each window a read went through: window k is [starts[k], ends[k]) of the
 * text. A stretch of the text holds no character that none of the windows overlapping it holds.
 */
export interface WindowChars {
  starts: number[];
  ends: number[];
  chars: CharSet[];
}

/**
 * Read `text` (no code unit above 0xff) in windows the size of `buffer`, copied into it (it
 * must be longer than twice the longest keyword). `marks.seen` ends up holding the characters
 * of the whole text; `windows`, when given, gets each window's own; both case-folded (the
 * characters of the text's lower case: foldSeen), as the tables of a case-folded read step.
 */
export function readLatin1(text: string, t: LaneTables, marks: LaneMarks, buffer: Buffer, windows?: WindowChars): void {
  const back = t.longest - 1;
  const size = buffer.length;
  const all = marks.seen;
  // Per window, a fresh set, merged into the text's afterwards.
  const own = windows === undefined ? all : new Uint8Array(256);
  marks.seen = own;
  for (let from = 0; ; ) {
    const to = Math.min(text.length, from + size);
    const n = buffer.write(from === 0 && to === text.length ? text : text.slice(from, to), 0, to - from, 'latin1');
    readWindow(buffer, n, t, marks);
    foldSeen(own);
    if (windows !== undefined) {
      windows.starts.push(from);
      windows.ends.push(to);
      windows.chars.push(charSetOf(own));
      for (let c = 0; c < 256; c++) if (own[c]) all[c] = 1;
      own.fill(0);
    }
    if (to === text.length) break;
    from = to - back;
  }
  marks.seen = all;
}

/**
 * The lower case of a code unit up to 0xff: A-Z and U+00C0-U+00DE but U+00D7 move up by
 * 0x20, the rest stay (the same as toLowerCase, one character at a time, in that range).
 */
export function lowerLatin1(code: number): number {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0xc0 && code <= 0xde && code !== 0xd7) ? code + 0x20 : code;
}

/** Per byte value seen, the lower case of each seen instead of it (lowerLatin1). */
export function foldSeen(seen: Uint8Array): void {
  for (let c = 0x41; c <= 0xde; c++) {
    if (seen[c] === 0) continue;
    const lower = lowerLatin1(c);
    if (lower === c) continue;
    seen[c] = 0;
    seen[lower] = 1;
  }
}

/** Per byte value seen (1), as a CharSet. */
export function charSetOf(seen: Uint8Array): CharSet {
  const words: [number, number, number, number] = [0, 0, 0, 0];
  for (let c = 0; c < 128; c++) if (seen[c]) words[c >> 5]! |= 1 << (c & 31);
  return { words, other: seen.subarray(128).includes(1) };
}

/** The characters of the windows overlapping [from, to) of the text: all those the stretch may hold. */
export function charsWithin(windows: WindowChars, from: number, to: number): CharSet {
  const words: [number, number, number, number] = [0, 0, 0, 0];
  let other = false;
  const { starts, ends, chars } = windows;
  // Windows are in order of start, and of end.
  let lo = 0, hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! <= from) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < starts.length && starts[k]! < to; k++) {
    const w = chars[k]!;
    words[0] |= w.words[0];
    words[1] |= w.words[1];
    words[2] |= w.words[2];
    words[3] |= w.words[3];
    other ||= w.other;
  }
  return { words, other };
}

// One window: four stretches at once when it is ASCII and long enough, else one from the start.
function readWindow(bytes: Buffer, n: number, t: LaneTables, marks: LaneMarks): void {
  const back = t.longest - 1;
  const q = Math.ceil(n / LANES);
  // (A stretch must be longer than the overlap for four to read less than they share.)
  if (n < LANES_FROM_BYTES || q <= 2 * back || !isAsciiBytes(bytes, n)) {
    readSerial(bytes, 0, n, t, marks);
    return;
  }
  const { rows, column, width, outputOf } = t;
  const { seen } = marks;
  const s1 = q - back, s2 = 2 * q - back, s3 = 3 * q - back;
  // Stretch k is [sk, e_k): e0 = q, e1 = 2q, e2 = 3q, e3 = n. Read together for the shortest.
  const common = Math.min(q, n - s3);
  let r0 = 0, r1 = 0, r2 = 0, r3 = 0;
  const kernel = t.kernel;
  if (kernel !== null && bytes.buffer === kernel.window.buffer && bytes.byteOffset === kernel.window.byteOffset) {
    // The same steps, compiled: the states with an output it reached, and the bytes it saw.
    kernel.rows.fill(0);
    kernel.run(0, s1, s2, s3, common);
    const out = kernel.rows;
    r0 = out[0]!;
    r1 = out[1]!;
    r2 = out[2]!;
    r3 = out[3]!;
    for (const state of kernel.recorded()) reach(outputOf[state]!, marks);
    kernel.clearRecorded();
    const kernelSeen = kernel.seen;
    for (let c = 0; c < 128; c++) if (kernelSeen[c] !== 0) seen[c] = 1;
    kernelSeen.fill(0);
  } else {
    for (let i = 0; i < common; i++) {
      const c0 = bytes[i]!, c1 = bytes[s1 + i]!, c2 = bytes[s2 + i]!, c3 = bytes[s3 + i]!;
      seen[c0] = 1;
      seen[c1] = 1;
      seen[c2] = 1;
      seen[c3] = 1;
      r0 = rows[r0 + column[c0]!]!;
      r1 = rows[r1 + column[c1]!]!;
      r2 = rows[r2 + column[c2]!]!;
      r3 = rows[r3 + column[c3]!]!;
      if ((r0 | r1 | r2 | r3) < 0) {
        if (r0 < 0) reach(outputOf[(r0 = -r0) / width]!, marks);
        if (r1 < 0) reach(outputOf[(r1 = -r1) / width]!, marks);
        if (r2 < 0) reach(outputOf[(r2 = -r2) / width]!, marks);
        if (r3 < 0) reach(outputOf[(r3 = -r3) / width]!, marks);
      }
    }
  }
  // Each stretch's rest, from the state it reached.
  readRows(bytes, common, q, r0, t, marks);
  readRows(bytes, s1 + common, 2 * q, r1, t, marks);
  readRows(bytes, s2 + common, 3 * q, r2, t, marks);
  readRows(bytes, s3 + common, n, r3, t, marks);
}

// ASCII bytes [from, to) from the state whose row is `row`.
function readRows(bytes: Buffer, from: number, to: number, row: number, t: LaneTables, marks: LaneMarks): void {
  const { rows, column, width, outputOf } = t;
  const { seen } = marks;
  for (let i = from; i < to; i++) {
    const c = bytes[i]!;
    seen[c] = 1;
    row = rows[row + column[c]!]!;
    if (row < 0) reach(outputOf[(row = -row) / width]!, marks);
  }
}

// Bytes [from, to) from state 0, any byte value.
function readSerial(bytes: Buffer, from: number, to: number, t: LaneTables, marks: LaneMarks): void {
  const { rows, column, width, outputOf } = t;
  const { seen } = marks;
  let row = 0;
  for (let i = from; i < to; i++) {
    const c = bytes[i]!;
    seen[c] = 1;
    if (c < 128) {
      row = rows[row + column[c]!]!;
      if (row < 0) reach(outputOf[(row = -row) / width]!, marks);
    } else {
      const state = t.stepWide(row / width, c);
      row = state * width;
      const output = outputOf[state]!;
      if (output >= 0) reach(output, marks);
    }
  }
}

function reach(output: number, marks: LaneMarks): void {
  if (marks.stamps[output] !== marks.stamp) {
    marks.stamps[output] = marks.stamp;
    marks.reached.push(output);
  }
}

function isAsciiBytes(bytes: Buffer, n: number): boolean {
  return isAscii(n === bytes.length ? bytes : bytes.subarray(0, n));
}
