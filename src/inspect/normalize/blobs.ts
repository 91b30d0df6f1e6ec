/**
 * Base64 and hex blobs, alone or embedded in longer text (`echo <b64> | base64 -d | sh`),
 * each decoded in place when it decodes to text. Binary payloads (images, hashes, keys)
 * decode to bytes that are not text and are left as they are.
 */
import { decodeUtf8Lenient, hexValue, stringProfile, unitsToString, utf8ProfileAtLeast, type TextProfile } from './bytes.js';

/** Shorter runs are too often ordinary words, ids and hashes to be worth a guess. */
export const MIN_BLOB_CHARS = 16;
// Share of decoded characters that must read as text.
const MIN_TEXTUAL = 0.9;
// Text is ASCII with at most a rare accent or emoji, or mostly another script. Junk from
// decoding an identifier is ASCII sprinkled with odd non-ASCII characters, in between.
const MAX_SPRINKLED = 0.04;
const MIN_FOREIGN = 0.5;
// Checked on a prefix first, so a megabyte of image data is refused after a few bytes.
const PROBE_CHARS = 64;

function readsAsText(p: TextProfile): boolean {
  return p.textual >= MIN_TEXTUAL && (p.nonAscii <= MAX_SPRINKLED || p.nonAscii >= MIN_FOREIGN);
}

function base64Value(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (c === 0x2b || c === 0x2d) return 62; // '+' standard, '-' URL-safe
  if (c === 0x2f || c === 0x5f) return 63; // '/' standard, '_' URL-safe
  return -1;
}

// The buffer base64Bytes writes a short run's bytes into (a longer run gets its own, so that
// no large buffer is held): every reader of them (bytesAsText and what it calls) is done with
// them before the next run is decoded, and keeps none (decodeUtf8Lenient copies what it hands
// to the native decoder).
const scratch = new Uint8Array(1024);
// Its first n bytes as a view, made once per n when first asked (a view made per run costs
// more than the decoding of a short one).
const scratchViews: Array<Uint8Array | undefined> = [];
const scratchView = (n: number): Uint8Array => (scratchViews[n] ??= scratch.subarray(0, n));

// base64Value by ASCII code unit (-1 for any other); a code unit past 0x7f is none.
const BASE64_VALUE = Int8Array.from({ length: 128 }, (_, c) => base64Value(c));

function base64Bytes(text: string, start: number, end: number): Uint8Array {
  // Six bits a character: the bytes fit in a buffer sized up front (no array growing).
  const size = Math.floor(((end - start) * 6) / 8);
  const bytes = size <= scratch.length ? scratch : new Uint8Array(size);
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i);
    acc = ((acc << 6) | (c < 128 ? (BASE64_VALUE[c] as number) : -1)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[n++] = (acc >> bits) & 0xff;
    }
  }
  return bytes === scratch ? scratchView(n) : bytes.subarray(0, n);
}

// PowerShell's -EncodedCommand is UTF-16LE: every other byte is zero.
function looksUtf16le(bytes: ArrayLike<number>): boolean {
  if (bytes.length < 4) return false;
  let zeros = 0;
  for (let i = 1; i < bytes.length; i += 2) if (bytes[i] === 0) zeros += 1;
  return zeros >= Math.floor(bytes.length / 2) * 0.9;
}

function utf16le(bytes: ArrayLike<number>): string {
  const units: number[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) units.push((bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8));
  return unitsToString(units);
}

// The decoded text of some bytes, if they read as text.
function bytesAsText(bytes: ArrayLike<number>): string | undefined {
  if (looksUtf16le(bytes)) {
    const text = utf16le(bytes);
    return readsAsText(stringProfile(text)) ? text : undefined;
  }
  // (Bytes sure to fall short of MIN_TEXTUAL are refused part-way: readsAsText would refuse them.)
  const profile = utf8ProfileAtLeast(bytes, MIN_TEXTUAL);
  return profile !== undefined && readsAsText(profile) ? decodeUtf8Lenient(bytes).text : undefined;
}

// The decoded text of a candidate run, if it reads as text. A prefix is checked first.
function asText(toBytes: (start: number, end: number) => ArrayLike<number>, start: number, end: number, unit: number): string | undefined {
  const probeEnd = Math.min(end, start + PROBE_CHARS - (PROBE_CHARS % unit));
  if (probeEnd < end && bytesAsText(toBytes(start, probeEnd)) === undefined) return undefined;
  return bytesAsText(toBytes(start, end));
}

function isHexRun(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) if (hexValue(text.charCodeAt(i)) < 0 && text.charCodeAt(i) !== 0x2d) return false;
  return true;
}

// Long identifiers (`SignatureCheckMode`, `RelationComparisonResult3`) are base64-shaped
// and may decode to printable junk. Base64 of text almost always has a digit or '+' well
// before its end, or ends in padding; identifiers have none, or a counter at the end.
function hasBase64Marker(text: string, start: number, end: number): boolean {
  if (text.charCodeAt(end) === 0x3d) return true;
  for (let i = start; i < end - 2; i += 1) {
    const c = text.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b) return true;
  }
  return false;
}

type Replacement = [start: number, end: number, text: string, kind: 'base64' | 'hex'];

// Base64 decoding of one run, or of its '/'-separated pieces when the run is a path. The
// whole run was vetted by the caller's scan; pieces are vetted here.
function decodeBase64Run(text: string, start: number, end: number, out: Replacement[], whole: boolean): void {
  // Runs of only hex digits and dashes are hashes and UUIDs: the hex decoder's business.
  if (!whole && (isHexRun(text, start, end) || !hasBase64Marker(text, start, end))) return;
  let len = end - start;
  if (len % 4 === 1) len -= 1; // one stray character cannot be base64
  const decoded = asText((s, e) => base64Bytes(text, s, e), start, start + len, 4);
  if (decoded !== undefined) {
    let stop = start + len;
    while (text.charCodeAt(stop) === 0x3d && stop - start - len < 2) stop += 1; // padding
    out.push([start, stop, decoded, 'base64']);
    return;
  }
  if (!whole) return;
  // (From one '/' to the next by indexOf, not a character at a time; in the run's own text,
  // a view of it: searched in the whole text, the last search would read on past the run to
  // the next '/' or the end, again for every run of a text of thousands, quadratic in all.)
  const run = text.slice(start, end);
  let piece = 0;
  for (;;) {
    const found = run.indexOf('/', piece);
    const i = found < 0 ? run.length : found;
    if ((piece > 0 || i < run.length) && i - piece >= MIN_BLOB_CHARS) decodeBase64Run(text, start + piece, start + i, out, false);
    if (i >= run.length) return;
    piece = i + 1;
  }
}

function applyReplacements(text: string, found: readonly Replacement[]): string {
  if (found.length === 0) return text;
  const parts: string[] = [];
  let copied = 0;
  for (const [start, end, decoded] of found) {
    parts.push(text.slice(copied, start), decoded);
    copied = end;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

// Character classes by ASCII code unit, as bits.
const B64 = 1; // in either base64 alphabet
const HEX = 2; // a hex digit
const MARK = 4; // a digit or '+': what base64 of text shows and identifiers rarely do
const DASH = 8; // '-', which UUIDs add to hex
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c += 1) {
  CLASS[c] =
    (base64Value(c) >= 0 ? B64 : 0) | (hexValue(c) >= 0 ? HEX : 0) |
    ((c >= 0x30 && c <= 0x39) || c === 0x2b ? MARK : 0) | (c === 0x2d ? DASH : 0);
}

function hexBytes(text: string, start: number, end: number): number[] {
  const bytes: number[] = [];
  for (let i = start; i + 1 < end; i += 2) bytes.push(hexValue(text.charCodeAt(i)) * 16 + hexValue(text.charCodeAt(i + 1)));
  return bytes;
}

// Hex runs inside a base64-class run that was not itself base64 text.
function decodeHexRuns(text: string, start: number, end: number, out: Replacement[]): void {
  let run = start;
  for (let i = start; i <= end; i += 1) {
    if (i < end && hexValue(text.charCodeAt(i)) >= 0) continue;
    if (i - run >= MIN_BLOB_CHARS && (i - run) % 2 === 0) {
      const decoded = asText((s, e) => hexBytes(text, s, e), run, i, 2);
      const prefixed = run >= 2 && text.charCodeAt(run - 2) === 0x30 && (text.charCodeAt(run - 1) | 0x20) === 0x78;
      if (decoded !== undefined) out.push([prefixed ? run - 2 : run, i, decoded, 'hex']);
    }
    run = i + 1;
  }
}

/** Blobs decoded in place, and which kinds were found ('base64', 'hex'). */
export interface DecodedBlobs {
  text: string;
  via: string[];
}

/**
 * Every base64 run (standard or URL-safe, padded or not) and every even-length hex run (an
 * `0x` prefix included) that decodes to text, decoded in place, in one pass: hex digits
 * are base64 characters, so hex runs are looked for inside base64-shaped runs.
 */
export function decodeBlobs(text: string): DecodedBlobs {
  const found: Replacement[] = [];
  const n = text.length;
  // Facts about the current run, gathered in the same pass so runs are not rescanned:
  // its longest hex stretch (most runs hold no hex blob), where its first digit or '+'
  // is, and whether it is all hex digits and dashes (a hash or UUID, not base64).
  let start = 0;
  let hex = 0;
  let longestHex = 0;
  let firstMark = -1;
  let hexOrDash = true;
  for (let i = 0; i <= n; i += 1) {
    const c = i < n ? text.charCodeAt(i) : 0;
    const cls = c < 128 ? (CLASS[c] ?? 0) : 0;
    if (cls !== 0) {
      hex = (cls & HEX) !== 0 ? hex + 1 : 0;
      if (hex > longestHex) longestHex = hex;
      if ((cls & MARK) !== 0 && firstMark < 0) firstMark = i;
      if ((cls & (HEX | DASH)) === 0) hexOrDash = false;
      continue;
    }
    if (i - start >= MIN_BLOB_CHARS) {
      const before = found.length;
      const marked = firstMark >= 0 && firstMark < i - 2;
      if (!hexOrDash && (marked || c === 0x3d)) decodeBase64Run(text, start, i, found, true);
      if (found.length === before && longestHex >= MIN_BLOB_CHARS) decodeHexRuns(text, start, i, found);
    }
    start = i + 1;
    hex = 0;
    longestHex = 0;
    firstMark = -1;
    hexOrDash = true;
  }
  if (found.length === 0) return { text, via: [] };
  const via = ['base64', 'hex'].filter((kind) => found.some((r) => r[3] === kind));
  return { text: applyReplacements(text, found), via };
}
