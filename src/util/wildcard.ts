/**
 * Whole-string wildcard matching: `*` any run of characters (separators included), `?`
 * one character, nothing else special. Greedy with one backtrack point, so at most
 * |pattern|·|text| steps: safe for patterns and text from anyone (no regex, no backtracking
 * blow-up). Case is the caller's business.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === '*') {
      star = p++;
      resume = t;
    } else if (c !== undefined && (c === '?' || c === text[t])) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
