/** How much text a value holds: the lengths of its strings, keys left out, read no deeper than 64 levels. */
export function textLength(value: unknown, upTo = Infinity, depth = 0): number {
  if (typeof value === 'string') return value.length;
  if (depth > 64 || typeof value !== 'object' || value === null) return 0;
  let total = 0;
  // (Loops over the items and own keys as Object.values lists them, no list made.)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      total += textLength(value[i], upTo - total, depth + 1);
      // Callers that only ask "at least this much?" stop counting once it is reached.
      if (total >= upTo) break;
    }
    return total;
  }
  for (const name in value) {
    if (!Object.hasOwn(value, name)) continue;
    total += textLength((value as Record<string, unknown>)[name], upTo - total, depth + 1);
    if (total >= upTo) break;
  }
  return total;
}
