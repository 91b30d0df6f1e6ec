/**
 * A unified diff of two texts by lines (Myers' algorithm), for `--dry-run`. The edit
 * distance is bounded: a config rewrite changes a few lines, and a diff that would need
 * more than MAX_EDITS steps is shown as a whole-file replacement instead.
 */

const MAX_EDITS = 4000;
const CONTEXT = 3;

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Split into lines, each keeping its line end, so CRLF and a missing last newline show. */
function lines(text: string): string[] {
  const out = text.split(/(?<=\n)/);
  return out[out.length - 1] === '' ? out.slice(0, -1) : out;
}

/** The shortest edit script between two line lists, or undefined past the bound. */
function myers(a: string[], b: string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const v = new Map<number, number>([[1, 0]]);
  const trace: Array<Map<number, number>> = [];
  for (let d = 0; d <= max; d++) {
    trace.push(new Map(v));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v.get(k - 1)! < v.get(k + 1)!) ? v.get(k + 1)! : v.get(k - 1)! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v.set(k, x);
      if (x >= n && y >= m) return backtrack(trace, a, b, d);
    }
  }
  return undefined;
}

function backtrack(trace: Array<Map<number, number>>, a: string[], b: string[], depth: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = depth; d >= 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v.get(k - 1)! < v.get(k + 1)!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : v.get(prevK)!;
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x]! });
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[--y]! });
      else ops.push({ kind: '-', line: a[--x]! });
    }
  }
  return ops.reverse();
}

/**
 * A line as diff(1) prints it: a CR before the newline is kept (so the patch applies to a
 * CRLF file), and a last line without a newline is flagged.
 */
function show(op: Op): string {
  const body = op.line.replace(/\n$/, '');
  const tail = op.line.endsWith('\n') ? '' : '\n\\ No newline at end of file';
  return `${op.kind}${body}${tail}\n`;
}

/** A unified diff with `--- a/<label>` and `+++ b/<label>` headers; empty when equal. */
export function unifiedDiff(before: string, after: string, label: string): string {
  if (before === after) return '';
  const a = lines(before);
  const b = lines(after);
  const ops = myers(a, b) ?? [...a.map((line) => ({ kind: '-' as const, line })), ...b.map((line) => ({ kind: '+' as const, line }))];
  let out = `--- a/${label}\n+++ b/${label}\n`;
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++;
      continue;
    }
    // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change
    // that is no further than 2*CONTEXT unchanged lines from the one before it.
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    let quiet = 0;
    for (let j = i; j < ops.length; j++) {
      if (ops[j]!.kind === ' ') {
        quiet++;
        if (quiet > 2 * CONTEXT) break;
      } else {
        quiet = 0;
        end = j;
      }
    }
    const stop = Math.min(ops.length, end + CONTEXT + 1);
    let aLine = 1;
    let bLine = 1;
    for (let j = 0; j < start; j++) {
      if (ops[j]!.kind !== '+') aLine++;
      if (ops[j]!.kind !== '-') bLine++;
    }
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    out += `@@ -${aCount === 0 ? aLine - 1 : aLine},${aCount} +${bCount === 0 ? bLine - 1 : bLine},${bCount} @@\n`;
    out += hunk.map(show).join('');
    i = stop;
  }
  return out;
}
