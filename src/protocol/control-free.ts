/**
 * Whether a stretch of a string holds no code unit below U+0020 (the characters JSON forbids
 * raw inside a string), read eight bytes at a time by a small WebAssembly function: a long
 * string is copied into its memory a piece at a time (a native copy) and each 64-bit word is
 * tested with the "has a byte less than n" identity, ((x - 0x20…20) & ~x & 0x80…80) != 0,
 * which is non-zero exactly when some byte of x is below 0x20 (n = 0x20 is within the range
 * the identity holds for). A code unit above U+00FF is copied as its low byte, so it can only
 * turn a "no" into a false "yes", never hide a control character. Null where WebAssembly is
 * unavailable: the caller then takes its usual path. Given the bytes a latin1 text was read
 * from (the same offsets), it reads them instead: a native copy of bytes, where a string is
 * first sliced and written out as latin1 (for an 8 MiB string, several times slower).
 */
import { ADD, AND64, BLOCK, br, brIf, END, EQZ, EQZ64, get, I32, i32, i64, IF, load64, LOOP, LT_U, moduleOf, RETURN, set, SUB64, wasm, XOR64 } from '../util/wasm.js';

/**
 * Bytes copied and tested at a time. Its memory (this plus one page) is kept for the session
 * once a large frame was read: at 1 MiB it held 1.1 MB for good; at 64 KiB an 8 MiB string
 * takes 128 calls instead of 8, well under a millisecond more.
 */
const PIECE_BYTES = 64 * 1024;

// control(from, to) → 1 when a byte in [from, to) of memory is below 0x20; `to - from` a multiple of 8.
// Parameters: from (0), to (1). Local: at (2).
function moduleBytes(): Uint8Array {
  const body = [
    ...get(0), ...set(2),
    ...BLOCK, ...LOOP,
    ...get(2), ...get(1), LT_U, EQZ, ...brIf(1),
    // (x - 0x20…20) & (x ^ -1) & 0x80…80
    ...get(2), ...load64(0), ...i64(0x2020202020202020n), SUB64,
    ...get(2), ...load64(0), ...i64(-1n), XOR64, AND64,
    ...i64(-0x7f7f7f7f7f7f7f80n), AND64, EQZ64, EQZ, ...IF, ...i32(1), RETURN, END,
    ...get(2), ...i32(8), ADD, ...set(2), ...br(0),
    END, END,
    ...i32(0),
    END,
  ];
  return moduleOf('control', 2, true, [[1, I32]], body);
}

let checker: { bytes: Buffer; run: (...args: number[]) => number } | null | undefined;

function made(): typeof checker {
  if (checker !== undefined) return checker;
  const module = wasm.compile(moduleBytes());
  const instance = module && wasm.instantiate(module, PIECE_BYTES / 65536 + 1, 'control');
  checker = instance ? { bytes: Buffer.from(instance.memory.buffer, 0, PIECE_BYTES), run: instance.run } : null;
  return checker;
}

/**
 * True when `text[from, to)` holds no code unit below U+0020 (no byte below 0x20, for bytes);
 * false when it does (or may: see the file comment); undefined where the check is unavailable.
 */
export function controlFree(text: string | Buffer, from: number, to: number): boolean | undefined {
  const c = made();
  if (!c) return undefined;
  for (let at = from; at < to; at += PIECE_BYTES) {
    const end = Math.min(to, at + PIECE_BYTES);
    const n = typeof text === 'string' ? c.bytes.write(text.slice(at, end), 0, end - at, 'latin1') : text.copy(c.bytes, 0, at, end);
    // The last word's unused bytes read as spaces.
    const padded = Math.ceil(n / 8) * 8;
    c.bytes.fill(0x20, n, padded);
    if (c.run(0, padded) !== 0) return false;
  }
  return true;
}
