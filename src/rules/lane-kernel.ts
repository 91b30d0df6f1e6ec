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

// The few WebAssembly names used: the global exists in every Node this runs on (unless
// --jitless), but the project's TypeScript libraries do not declare it.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
type WasmModule = object;
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
};

// The table may take at most this much memory; a larger automaton keeps the JavaScript loop.
const MAX_TABLE_BYTES = 64 * 1024 * 1024;

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (text: string): number[] => vector([...text].map((c) => [c.charCodeAt(0)]));

// The instructions used (opcodes of the WebAssembly 1.0 binary format).
const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
const tee = (i: number): number[] => [0x22, ...uleb(i)];
const i32 = (v: number): number[] => [0x41, ...sleb(v)];
const ADD = 0x6a, SUB = 0x6b, OR = 0x72, SHL = 0x74, SHR_U = 0x76, LT_S = 0x48, LT_U = 0x49, EQZ = 0x45;
const load = (offset: number): number[] => [0x28, 2, ...uleb(offset)];
const load8 = [0x2d, 0, 0];
const store = (offset: number): number[] => [0x36, 2, ...uleb(offset)];
const store8 = [0x3a, 0, 0];
const BLOCK = [0x02, 0x40], LOOP = [0x03, 0x40], IF = [0x04, 0x40], END = 0x0b;
const br = (depth: number): number[] => [0x0c, ...uleb(depth)];
const brIf = (depth: number): number[] => [0x0d, ...uleb(depth)];

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
  const I32 = 0x7f;
  const code = [...vector([[8, I32]]), ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([[0x60, ...vector(Array.from({ length: 9 }, () => [I32])), 0]])),
    ...section(2, vector([[...name('m'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vector([[0]])),
    ...section(7, vector([[...name('lanes'), 0x00, 0]])),
    ...section(10, vector([[...uleb(code.length), ...code]])),
  ]);
}

let compiled: WasmModule | null | undefined;

function kernelModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(moduleBytes()) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/**
 * The kernel for a table of `states` rows (`rows`: state × `width` + column → next row, the
 * JavaScript table of keyword-lanes.ts; `column`: ASCII code unit → column), reading windows
 * of `windowBytes`; null where WebAssembly is unavailable or the table would be too large.
 */
export function laneKernel(rows: Int32Array, column: Uint8Array, width: number, windowBytes: number): LaneKernel | null {
  const states = rows.length / width;
  const tableBytes = states * 128 * 4;
  if (tableBytes > MAX_TABLE_BYTES) return null;
  const module = kernelModule();
  if (module === null) return null;
  const seenAt = tableBytes;
  const flagsAt = seenAt + 256;
  const listAt = flagsAt + Math.ceil(states / 4) * 4;
  const lanesAt = listAt + states * 4;
  const windowAt = lanesAt + 32;
  let memory: WasmMemory;
  let run: (...args: number[]) => void;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil((windowAt + windowBytes) / 65536) });
    const instance = new WebAssembly.Instance(module, { m: { memory } });
    run = instance.exports.lanes as (...args: number[]) => void;
  } catch {
    return null;
  }
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
