/**
 * Bounds on normalisation. Exceeding the size or depth bounds fails closed (the caller
 * blocks the call); the variant and round bounds only cap how much decoding is tried.
 */

/** What one `tools/call`'s arguments may cost to normalise. */
export interface NormalizeLimits {
  /** Containers nested deeper than this (nested JSON documents included) fail the call. */
  maxDepth: number;
  /** More strings than this (keys, values, numbers, nested JSON included) fail the call. */
  maxStrings: number;
  /** More string data than this (UTF-16 code units, nested JSON counted again) fails the call. */
  maxTotalBytes: number;
  /** Decoded spellings kept per string, most telling first; the rest are dropped. */
  maxVariantsPerString: number;
  /** How many times a decoder (URL, HTML, escapes) is reapplied, and rounds of the full chain. */
  maxDecodeRounds: number;
}

/** Depth 32, 10 000 strings, 4 MiB of string data, 8 variants per string, 4 decode rounds. */
export const DEFAULT_NORMALIZE_LIMITS: Readonly<NormalizeLimits> = {
  maxDepth: 32,
  maxStrings: 10_000,
  maxTotalBytes: 4 * 1024 * 1024,
  maxVariantsPerString: 8,
  maxDecodeRounds: 4,
};

/**
 * All variants of a call together may hold this many times `maxTotalBytes` before the call
 * fails closed. Decoding shrinks text and NFKC growth is capped, so a variant is about as
 * long as its string at most; only large strings decoded in many ways come near this.
 */
export const VARIANT_BUDGET_FACTOR = 4;

/** Thrown inside normalisation when a bound is exceeded; normalizeArguments turns it into `ok: false`. */
export class LimitExceeded extends Error {
  override readonly name = 'LimitExceeded';
}
