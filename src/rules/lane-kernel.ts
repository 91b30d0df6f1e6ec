/**
 * The four-stretch read of keyword-lanes.ts as a small WebAssembly function: the same table
 * look-ups and marks, about 2.5 times as fast as the JavaScript loop on a long text (there each
 * look-up carries bounds checks that compiled WebAssembly does without: the 8 MiB result of
 * bench/ab-builds.mjs is read in 8-14 ms instead of 20-35, one process, interleaved). The
 * module is a few hundred bytes, emitted here (no build step, nothing loaded from disk) and
 * compiled on the first long text only. Where WebAssembly is unavailable (a `--jitless`
 * Node), or the table would be too large, the caller keeps its own loop.
 *
 * Memory: the transition table (states × 128 ASCII columns, 4 bytes each: the next state's
 * row as a byte offset, negated when that state has an output), then 256 bytes of "byte seen"
 * marks, a flag per state (recorded in this window already), the list of states recorded,
 * five words of lane state (the four rows, then the list's length), and the window's bytes.
 * Every address the function forms is a row plus a column below 128 (the caller passes only
 * ASCII windows) or inside those areas; WebAssembly cannot address outside its memory, and a
 * fault traps (a thrown RangeError, which the result scan turns into a block). For the shipped
 * rules the table is about 2.8 MB, made once, when the first long text is read.
 */

import { ADD, BLOCK, br, brIf, END, EQZ, get, I32, i32, IF, LOOP, LT_S, LT_U, load, load8, moduleOf, OR, set, SHL, SHR_U, store, store8, SUB, tee, wasm } from '../util/wasm.js';

/** The compiled kernel for one automaton's table, with views of its memory. */
export interface LaneKernel {
  /** The window's bytes: the caller copies each window here (the kernel reads only this memory). */
  window: Buffer;
  /** The four stretches' rows (JavaScript rows, state × width), read and written by run. */
  rows: Int32Array;
  /** Runs `count` steps of each stretch, starting at window offsets p0..p3, from `rows`. */
  run(p0: number, p1: number, p2: number, p3: number, count: number): void;
  /** The states with an output reached since the last clear, each once. */
  recorded(): Int32Array;
  /** Forget the recorded states. */
  clearRecorded(): void;
  /** Per byte value below 128, 1 once seen by run; the caller reads and clears it. */
  seen: Uint8Array;
}

// The table may take at most this much memory; a larger automaton keeps the JavaScript loop.
const MAX_TABLE_BYTES = 64 * 1024 * 1024;

// Parameters: p0..p3 (0-3), count (4), seen (5), flags (6), list (7), lanes (8).
// Locals: i (9), r0..r3 (10-13), c (14), length (15), state (16).
const P = 0, COUNT = 4, SEEN = 5, FLAGS = 6, LIST = 7, LANES = 8, I = 9, R = 10, C = 14, LENGTH = 15, STATE = 16;

// One step of stretch k: its byte, marked seen, then the table look-up.
const step = (k: number): number[] => [
  ...get(P + k), ...get(I), ADD, ...load8, ...set(C),
  ...get(SEEN), ...get(C), ADD, ...i32(1), ...store8,
  ...get(R + k), ...get(C), ...i32(2), SHL, ADD, ...load(0), ...set(R + k),
];

// Stretch k reached a state with an output: its row made positive, the state recorded once.
const record = (k: number): number[] => [
  ...get(R + k), ...i32(0), LT_S, ...IF,
  ...i32(0), ...get(R + k), SUB, ...tee(R + k), ...i32(9), SHR_U, ...set(STATE),
  ...get(FLAGS), ...get(STATE), ADD, ...load8, EQZ, ...IF,
  ...get(FLAGS), ...get(STATE), ADD, ...i32(1), ...store8,
  ...get(LIST), ...get(LENGTH), ...i32(2), SHL, ADD, ...get(STATE), ...store(0),
  ...get(LENGTH), ...i32(1), ADD, ...set(LENGTH),
  END,
  END,
];

function moduleBytes(): Uint8Array {
  const body = [
    ...[0, 1, 2, 3].flatMap((k) => [...get(LANES), ...load(4 * k), ...set(R + k)]),
    ...get(LANES), ...load(16), ...set(LENGTH),
    ...BLOCK, ...LOOP,
    ...get(I), ...get(COUNT), LT_U, EQZ, ...brIf(1),
    ...step(0), ...step(1), ...step(2), ...step(3),
    ...get(R), ...get(R + 1), OR, ...get(R + 2), OR, ...get(R + 3), OR, ...i32(0), LT_S, ...IF,
    ...record(0), ...record(1), ...record(2), ...record(3),
    END,
    ...get(I), ...i32(1), ADD, ...set(I), ...br(0),
    END, END,
    ...[0, 1, 2, 3].flatMap((k) => [...get(LANES), ...get(R + k), ...store(4 * k)]),
    ...get(LANES), ...get(LENGTH), ...store(16),
    END,
  ];
  return moduleOf('lanes', 9, false, [[8, I32]], body);
}

let compiled: ReturnType<typeof wasm.compile> | undefined;

/**
 * The kernel for a table of `states` rows (`rows`: state × `width` + column → next row, the
 * JavaScript table of keyword-lanes.ts; `column`: ASCII code unit → column), reading windows
 * of `windowBytes`; null where WebAssembly is unavailable or the table would be too large.
 */
export function laneKernel(rows: Int32Array, column: Uint8Array, width: number, windowBytes: number): LaneKernel | null {
  const states = rows.length / width;
  const tableBytes = states * 128 * 4;
  if (tableBytes > MAX_TABLE_BYTES) return null;
  const module = (compiled ??= wasm.compile(moduleBytes()));
  if (module === null) return null;
  const seenAt = tableBytes;
  const flagsAt = seenAt + 256;
  const listAt = flagsAt + Math.ceil(states / 4) * 4;
  const lanesAt = listAt + states * 4;
  const windowAt = lanesAt + 32;
  const made = wasm.instantiate(module, Math.ceil((windowAt + windowBytes) / 65536), 'lanes');
  if (made === null) return null;
  const { memory, run } = made;
  const table = new Int32Array(memory.buffer, 0, states * 128);
  for (let s = 0; s < states; s++) {
    for (let c = 0; c < 128; c++) {
      const next = rows[s * width + column[c]!]!;
      // JavaScript rows are state × width; here a byte offset, state × 512, with the same sign.
      table[s * 128 + c] = next < 0 ? -((-next / width) * 512) : (next / width) * 512;
    }
  }
  const lanes = new Int32Array(memory.buffer, lanesAt, 8);
  const list = new Int32Array(memory.buffer, listAt, states);
  const flags = new Uint8Array(memory.buffer, flagsAt, states);
  const seen = new Uint8Array(memory.buffer, seenAt, 128);
  const window = Buffer.from(memory.buffer, windowAt, windowBytes);
  // The stretches' rows cross the boundary as JavaScript rows (state × width).
  const rowsIn = new Int32Array(4);
  return {
    window,
    rows: rowsIn,
    seen,
    run(p0, p1, p2, p3, count) {
      for (let k = 0; k < 4; k++) lanes[k] = (rowsIn[k]! / width) * 512;
      run(windowAt + p0, windowAt + p1, windowAt + p2, windowAt + p3, count, seenAt, flagsAt, listAt, lanesAt);
      for (let k = 0; k < 4; k++) rowsIn[k] = (lanes[k]! / 512) * width;
    },
    recorded() {
      return list.subarray(0, lanes[4]);
    },
    clearRecorded() {
      const n = lanes[4]!;
      for (let k = 0; k < n; k++) flags[list[k]!] = 0;
      lanes[4] = 0;
    },
  };
}
