/**
 * Just enough of the WebAssembly binary format (1.0) to emit the two small functions the
 * shim compiles (src/rules/lane-kernel.ts, src/protocol/control-free.ts): a module of one
 * function of i32 parameters over an imported memory. Emitted in code, so there is no build
 * step and nothing is loaded from disk.
 */

/** A WebAssembly memory, as far as the shim uses one. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
type WasmModule = object;
// The global exists in every Node this runs on (unless --jitless); the project's TypeScript
// libraries do not declare it.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
};

/** WebAssembly where this Node has it: compile and instantiate, or null. */
export const wasm = {
  /** The module for `bytes`, or null when WebAssembly is unavailable or refuses it. */
  compile(bytes: Uint8Array): WasmModule | null {
    try {
      return typeof WebAssembly === 'object' ? new WebAssembly.Module(bytes) : null;
    } catch {
      return null;
    }
  },
  /** A memory of `pages` of 64 KiB and the module's export `name` over it, or null. */
  instantiate(module: WasmModule, pages: number, name: string): { memory: WasmMemory; run: (...args: number[]) => number } | null {
    try {
      const memory = new WebAssembly.Memory({ initial: pages });
      const instance = new WebAssembly.Instance(module, { m: { memory } });
      return { memory, run: instance.exports[name] as (...args: number[]) => number };
    } catch {
      return null;
    }
  },
};

export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
export const sleb = (n: number): number[] => {
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
export const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
export const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const nameOf = (text: string): number[] => vector([...text].map((c) => [c.charCodeAt(0)]));

// The instructions used (opcodes of the WebAssembly 1.0 binary format).
export const get = (i: number): number[] => [0x20, ...uleb(i)];
export const set = (i: number): number[] => [0x21, ...uleb(i)];
export const tee = (i: number): number[] => [0x22, ...uleb(i)];
export const i32 = (v: number): number[] => [0x41, ...sleb(v)];
export const ADD = 0x6a, SUB = 0x6b, OR = 0x72, SHL = 0x74, SHR_U = 0x76, LT_S = 0x48, LT_U = 0x49, EQZ = 0x45;
export const load = (offset: number): number[] => [0x28, 2, ...uleb(offset)];
export const load8 = [0x2d, 0, 0];
export const store = (offset: number): number[] => [0x36, 2, ...uleb(offset)];
export const store8 = [0x3a, 0, 0];
export const BLOCK = [0x02, 0x40], LOOP = [0x03, 0x40], IF = [0x04, 0x40], END = 0x0b;
export const br = (depth: number): number[] => [0x0c, ...uleb(depth)];
export const brIf = (depth: number): number[] => [0x0d, ...uleb(depth)];
export const RETURN = 0x0f;
/** The i32 value type. */
export const I32 = 0x7f;
// 64-bit words, for reading eight bytes at a time.
export const i64 = (v: bigint): number[] => {
  const out: number[] = [0x42];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};
export const load64 = (offset: number): number[] => [0x29, 3, ...uleb(offset)];
export const SUB64 = 0x7d, AND64 = 0x83, XOR64 = 0x85, EQZ64 = 0x50;


/**
 * A module importing memory `m.memory` (at least one page) and exporting `name`, one function
 * of `params` i32 parameters returning an i32 when `returns`, with `locals` i32 locals
 * (numbered after the parameters) and `body` (its instructions, ending in END).
 */
export function moduleOf(name: string, params: number, returns: boolean, locals: Array<[number, number]>, body: number[]): Uint8Array {
  const code = [...vector(locals.map(([count, type]) => [...uleb(count), type])), ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([[0x60, ...vector(Array.from({ length: params }, () => [I32])), ...(returns ? [1, I32] : [0])]])),
    ...section(2, vector([[...nameOf('m'), ...nameOf('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vector([[0]])),
    ...section(7, vector([[...nameOf(name), 0x00, 0]])),
    ...section(10, vector([[...uleb(code.length), ...code]])),
  ]);
}
