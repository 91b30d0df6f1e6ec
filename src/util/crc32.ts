/**
 * CRC-32 (zlib's), for the per-user caches (in hex): a name for an entry, and a check that an
 * entry's bytes are the bytes written. It defends against nobody: whoever can write a private
 * cache file could write any digest, and an entry is trusted for being ours and private
 * (config/cache-files.ts), never for its digest. What it catches is a damaged or shortened
 * file, every burst of up to 32 flipped bits among it, in one native pass that needs no
 * node:crypto before the server is spawned (node-crypto.ts). The token checksums of
 * inspect/validators/base62-checksum.ts use it too.
 */
import type * as Zlib from 'node:zlib';

let crc32: typeof Zlib.crc32 | undefined;

/** CRC-32 of the bytes (a string as UTF-8), node:zlib's, taken when first asked for. */
export function crc32Of(data: string | Uint8Array): number {
  crc32 ??= (process.getBuiltinModule('node:zlib') as typeof Zlib).crc32;
  return crc32(data);
}

/** {@link crc32Of} as 8 hex digits. */
export function crc32Hex(data: string | Uint8Array): string {
  return crc32Of(data).toString(16).padStart(8, '0');
}

/** A cache entry's file name (without its suffix) for a key: its CRC-32 and its length, 16 hex digits. Two keys may share a name; each entry holds its whole key, so they only miss. */
export function entryName(key: string): string {
  return crc32Hex(key) + (key.length >>> 0).toString(16).padStart(8, '0');
}
