/**
 * Selecting tools by their MCP annotations. Annotations are the server's claims: a selector
 * can only narrow what the model sees, so whatever is unknown reads as the least trusting
 * value, which is the MCP default (readOnlyHint false, destructiveHint true, idempotentHint
 * false, openWorldHint true): a read-only preset hides a tool that does not say it is
 * read-only, and a deny of destructive tools hides one that does not say it is not.
 */
import type { AnnotationSelector } from './policy-types.js';

export const HINT_DEFAULTS = Object.freeze({ readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true });
type Hint = keyof typeof HINT_DEFAULTS;
const HINTS = Object.keys(HINT_DEFAULTS) as Hint[];

/** The hints a definition's `annotations` declare, defaults filled; non-boolean values read as missing. */
export function effectiveHints(annotations: unknown): Record<Hint, boolean> {
  const out: Record<Hint, boolean> = { ...HINT_DEFAULTS };
  if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) return out;
  for (const hint of HINTS) {
    const v = (annotations as Record<string, unknown>)[hint];
    if (typeof v === 'boolean') out[hint] = v;
  }
  return out;
}

/** A short key of the effective hints, for caching verdicts. */
export function hintsKey(annotations: unknown): string {
  const h = effectiveHints(annotations);
  return HINTS.map((k) => (h[k] ? '1' : '0')).join('');
}

/** True when every hint the selector names equals the tool's. */
export function selectorMatches(selector: AnnotationSelector, annotations: unknown): boolean {
  const h = effectiveHints(annotations);
  return HINTS.every((k) => selector[k] === undefined || selector[k] === h[k]);
}

/** A selector in words, for rule ids and messages: `readOnlyHint=false`. */
export function describeSelector(selector: AnnotationSelector): string {
  return `{${HINTS.filter((k) => selector[k] !== undefined).map((k) => `${k}=${String(selector[k])}`).join(',')}}`;
}
