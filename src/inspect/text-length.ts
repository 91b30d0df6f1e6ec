/** How much text a value holds: the lengths of its strings, keys left out, read no deeper than 64 levels. */
export function textLength(value: unknown, upTo = Infinity, depth = 0): number {
  if (typeof value === 'string') return value.length;
  if (depth > 64 || typeof value !== 'object' || value === null) return 0;
  let total = 0;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    total += textLength(item, upTo - total, depth + 1);
    // Callers that only ask "at least this much?" stop counting once it is reached.
    if (total >= upTo) break;
  }
  return total;
}
