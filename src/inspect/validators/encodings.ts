/**
 * Percent-encodings that do not decode to one value (issue 12): bytes that are not UTF-8
 * (overlong forms such as %c0%af or %e0%80%ae, lone continuation bytes, %ff), which some
 * decoders map to '/' or '.', others to U+FFFD, others refuse. A path that cannot be read
 * one way only is not a path to forward.
 */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** True when a run of %XX escapes decodes to bytes that are not valid UTF-8. */
export function isInvalidPercentRun(match: string): boolean {
  const hex = match.replace(/%/g, '');
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) return false;
  const bytes = Buffer.from(hex, 'hex');
  try {
    STRICT_UTF8.decode(bytes);
    return false;
  } catch {
    return true;
  }
}

/**
 * The validator of path.ambiguous-encoding: a run of %XX escapes that is not UTF-8, or a
 * malformed escape (`%` and one hex digit, then something else).
 */
export function isAmbiguousPercentEncoding(match: string): boolean {
  if (/^%[0-9a-fA-F](?:[^0-9a-fA-F]|$)/.test(match)) return true;
  return isInvalidPercentRun(match);
}
