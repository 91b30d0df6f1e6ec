/**
 * JSON documents carried inside string values (`"config": "{\"url\": ...}"`): servers parse
 * them, so their strings are inspected too.
 */
import { parseJson } from '../../protocol/escaped-keys.js';

/** The parsed object or array a string holds, or undefined when it holds none. */
export function parseNestedJson(text: string): object | undefined {
  // Cheap shape check first: most strings are not JSON and must not pay for a parse.
  let start = 0;
  while (start < text.length && isJsonSpace(text.charCodeAt(start))) start += 1;
  let end = text.length - 1;
  while (end > start && isJsonSpace(text.charCodeAt(end))) end -= 1;
  const open = text.charCodeAt(start);
  const close = text.charCodeAt(end);
  if (!((open === 0x7b && close === 0x7d) || (open === 0x5b && close === 0x5d))) return undefined;
  try {
    const value: unknown = parseJson(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
