/**
 * CRC-32 (zlib's) in hex, for the per-user caches: a name for an entry, and a check that an
 * entry's bytes are the bytes written. It defends against nobody: whoever can write a private
 * cache file could write any digest, and an entry is trusted for being ours and private
 * (config/cache-files.ts), never for its digest. What it catches is a damaged or shortened
 * file, every burst of up to 32 flipped bits among it, in one native pass that needs no
 * node:crypto before the server is spawned (node-crypto.ts).
 */
import type * as Zlib from 'node:zlib';

let crc32: typeof Zlib.crc32 | undefined;

/** CRC-32 of the bytes (a string as UTF-8), 8 hex digits. */
export function crc32Hex(data: string | Uint8Array): string {
  crc32 ??= (process.getBuiltinModule('node:zlib') as typeof Zlib).crc32;
  return crc32(data).toString(16).padStart(8, '0');
}

/** A cache entry's file name (without its suffix) for a key: its CRC-32 and its length, 16 hex digits. Two keys may share a name; each entry holds its whole key, so they only miss. */
export function entryName(key: string): string {
  return crc32Hex(key) + (key.length >>> 0).toString(16).padStart(8, '0');
}
