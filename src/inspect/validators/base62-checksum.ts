/**
 * The checksum GitHub puts in its tokens (ghp_, gho_, ghu_, ghs_, ghr_) and npm in its
 * access tokens (npm_): after the prefix come 30 random base62 characters, then the CRC32
 * of those 30 characters written as 6 base62 digits (0-9, A-Z, a-z), left-padded with '0'.
 * A string that passes is a real token's shape with odds of a chance match near 1 in 4
 * billion, so the rule it backs can be trusted to block.
 */
// node:zlib's CRC-32, taken when a token of this shape is first met (util/crc32.ts). (A start
// has it already: the start loader loads node:zlib for the caches before setting V8's flags,
// when it costs about 1 ms; loaded after them it was about 15.)
import { crc32Of } from '../../util/crc32.js';
import { looksRandom } from './text-stats.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_LENGTH = 6;
const ENTROPY_LENGTH = 30;
const SHAPE = /^[a-z]{2,4}_([0-9A-Za-z]{36})$/;

/** `n` in base62, left-padded with '0' to `width` digits. */
export function toBase62(n: number, width: number): string {
  let digits = '';
  let rest = n;
  while (rest > 0) {
    digits = BASE62[rest % 62] + digits;
    rest = Math.floor(rest / 62);
  }
  return digits.padStart(width, '0');
}

/** The 6-character checksum a token with this random part must end with. */
export function base62Checksum(entropy: string): string {
  return toBase62(crc32Of(entropy), CHECKSUM_LENGTH);
}

// The token's 36 characters after the prefix, or undefined when the shape is not right.
function body(token: string): string | undefined {
  return SHAPE.exec(token)?.[1];
}

/** True when a `prefix_` + 36 base62 token ends with the CRC32 of its random part. */
export function hasValidBase62Checksum(token: string): boolean {
  const b = body(token);
  if (b === undefined) return false;
  return base62Checksum(b.slice(0, ENTROPY_LENGTH)) === b.slice(ENTROPY_LENGTH);
}

/**
 * True when a token has the shape and randomness of one but its checksum does not hold:
 * a made-up, truncated or hand-edited token, still worth stopping but with less certainty.
 */
export function isUnverifiedBase62Token(token: string): boolean {
  const b = body(token);
  return b !== undefined && !hasValidBase62Checksum(token) && looksRandom(b, 30);
}
