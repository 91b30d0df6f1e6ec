/**
 * The id of a client frame the shim refuses (invalid UTF-8, duplicate keys, trailing data,
 * nesting too deep, a syntax error), so the refusal reaches the request that is waiting
 * for it. Read only where it is unambiguous: every `"id"` member the frame's top level
 * holds says the same, and a frame too broken to read through says it at both ends alike.
 */
import { scanEnvelope } from './envelope-scan.js';
import type { RequestId } from './jsonrpc.js';
import { sniffId } from './sniff-id.js';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const SNIFF_BYTES = 1024;

function asId(value: unknown): RequestId | undefined {
  // A string with U+FFFD may be one whose bytes were not UTF-8: not what the client wrote.
  if (typeof value === 'string') return value.includes('\ufffd') ? undefined : value;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

/** The refused frame's id, or null when it cannot be read unambiguously. */
export function readRefusedId(frame: Buffer): RequestId | null {
  const bytes = frame.subarray(0, 3).equals(UTF8_BOM) ? frame.subarray(3) : frame;
  // The scan is linear and keeps its own stack, so any depth is safe to walk here.
  const scan = scanEnvelope(bytes, { allowRepeatedKeys: true, allowTrailing: true, maxDepth: Number.MAX_SAFE_INTEGER });
  if (scan.ok) {
    const ids = scan.envelope.members.filter((m) => m.key === 'id');
    if (ids.length === 0) return null;
    const first = asId(ids[0]!.value);
    return first !== undefined && ids.every((m) => m.value === first) ? first : null;
  }
  const head = bytes.subarray(0, SNIFF_BYTES).toString('utf8');
  const tail = bytes.subarray(Math.max(0, bytes.length - SNIFF_BYTES)).toString('utf8');
  const sniffed = sniffId(head, tail);
  return sniffed === undefined ? null : (asId(sniffed) ?? null);
}
