/**
 * Trimming without regular expressions: `/\.+$/` and `/\s+$/` rescan every run
 * of dots or spaces from each of its characters, which is quadratic on a long
 * run in the middle of a string; these loops are linear.
 */

/** Remove trailing dots (`localhost.` → `localhost`). */
export function stripTrailingDots(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x2e) end--;
  return text.slice(0, end);
}

/** Remove leading and trailing C0 controls and spaces, as URL parsers do. */
export function trimControls(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}
