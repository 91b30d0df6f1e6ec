/** Text edits on the original file: only the bytes that must change are replaced. */

/** Replace text[start, end) with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Apply non-overlapping edits; throws if two overlap (a bug, never a user error). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    if (edit.start < at) throw new Error(`overlapping edits at offset ${edit.start}`);
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at);
}

/** The run of spaces, tabs and line ends that ends at `offset`. */
export function whitespaceBefore(text: string, offset: number): string {
  let i = offset;
  while (i > 0 && /[ \t\r\n]/.test(text[i - 1]!)) i--;
  return text.slice(i, offset);
}
