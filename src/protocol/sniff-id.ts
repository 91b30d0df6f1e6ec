/**
 * Best-effort recovery of the id of a frame too large to parse, from its first and
 * last bytes, so the request it belonged to can still be answered. Only a top-level
 * scalar id is trusted: either as the first keys of the object (before any nested
 * value) or as the very last key, the way common serialisers write responses.
 */
import type { RequestId } from './jsonrpc.js';

// `"id": 123}` or `"id": "abc"}` closing the outermost object at the end of the frame.
const TAIL_ID = /"id"\s*:\s*(-?\d{1,16}|"(?:[^"\\\n]|\\.){0,256}")\s*\}\s*$/;

/**
 * Recover the id from the head (first bytes) or tail (last bytes) of a frame. Only an
 * unambiguous one: when the head and the tail both name an id and they differ, or the
 * head names two, none is returned.
 */
export function sniffId(head: string, tail: string): RequestId | undefined {
  const fromHead = idFromHead(head);
  const fromTail = idFromTail(tail);
  if (fromHead === null) return undefined;
  if (fromHead !== undefined && fromTail !== undefined && fromHead !== fromTail) return undefined;
  return fromHead ?? fromTail;
}

function parseIdToken(token: string): RequestId | undefined {
  try {
    const value: unknown = JSON.parse(token);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  } catch {
    // not a token we can read
  }
  return undefined;
}

function idFromTail(tail: string): RequestId | undefined {
  const match = TAIL_ID.exec(tail);
  return match?.[1] === undefined ? undefined : parseIdToken(match[1]);
}

// Walks `{"k": scalar, "k2": scalar, ...` and stops at the first nested value. Null when
// two "id" keys among them disagree (ambiguous), undefined when none is found.
function idFromHead(head: string): RequestId | undefined | null {
  let i = skipSpace(head, 0);
  if (head[i] !== '{') return undefined;
  i++;
  let found: RequestId | undefined;
  for (;;) {
    i = skipSpace(head, i);
    const keyEnd = stringEnd(head, i);
    if (keyEnd < 0) return found;
    const key = parseKey(head.slice(i, keyEnd));
    i = skipSpace(head, keyEnd);
    if (head[i] !== ':') return found;
    i = skipSpace(head, i + 1);
    const valueEnd = scalarEnd(head, i);
    if (valueEnd < 0) return found;
    if (key === 'id') {
      const id = parseIdToken(head.slice(i, valueEnd));
      if (id === undefined || (found !== undefined && found !== id)) return null;
      found = id;
    }
    i = skipSpace(head, valueEnd);
    if (head[i] !== ',') return found;
    i++;
  }
}

function parseKey(token: string): string | undefined {
  try {
    return JSON.parse(token) as string;
  } catch {
    return undefined;
  }
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\r' || s[i] === '\n')) i++;
  return i;
}

// Index just past a JSON string starting at i, or -1.
function stringEnd(s: string, i: number): number {
  if (s[i] !== '"') return -1;
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '"') return j + 1;
  }
  return -1;
}

// Index just past a string, number, true, false or null at i; -1 for a nested value.
function scalarEnd(s: string, i: number): number {
  if (s[i] === '"') return stringEnd(s, i);
  const match = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(s.slice(i, i + 64));
  return match ? i + match[0].length : -1;
}
