/**
 * Splits a `--server "npx -y some-server /data"` string into argv, the way a POSIX shell
 * would split it, so the child can be spawned with `shell: false`: no expansion, no globbing,
 * no operators (`|`, `;`, `$VAR` are ordinary characters).
 */

/** The outcome of {@link splitCommand}. */
export type SplitCommandResult = { ok: true; argv: string[] } | { ok: false; message: string };

/** Characters inside double quotes that a POSIX backslash escapes; before others it is literal. */
const DQUOTE_ESCAPABLE = new Set(['"', '\\', '$', '`', '\n']);

/** Word separators: space, tab, newline. */
function isSeparator(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n';
}

/**
 * Splits `line` into arguments.
 *
 * - `'...'` is literal; `"..."` allows `\"` `\\` `\$` `` \` `` and backslash-newline (which,
 *   as in a shell, is removed); outside quotes a backslash escapes the next character and
 *   backslash-newline is removed.
 * - On win32 a backslash is literal unless it precedes a double quote, so `C:\Program Files\x`
 *   survives when quoted. A run of backslashes before `"` follows the Windows C runtime:
 *   2n backslashes give n and the quote delimits; 2n+1 give n and a literal quote, so
 *   `"C:\dir\\"` is `C:\dir\`.
 * - Adjacent parts join (`a"b c"d` → `ab cd`); `""` is an empty argument.
 *
 * Positions in messages are 0-based character indexes into `line`.
 */
export function splitCommand(line: string, platform: NodeJS.Platform = process.platform): SplitCommandResult {
  const windows = platform === 'win32';
  const argv: string[] = [];
  let word = '';
  // Distinguishes "no word yet" from an empty quoted word ("").
  let inWord = false;
  let i = 0;

  while (i < line.length) {
    const ch = line[i]!;
    if (isSeparator(ch)) {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (ch === "'") {
      const close = line.indexOf("'", i + 1);
      if (close === -1) return { ok: false, message: `unterminated single quote opened at position ${i}` };
      word += line.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (ch === '"') {
      const open = i;
      i++;
      for (;;) {
        if (i >= line.length) return { ok: false, message: `unterminated double quote opened at position ${open}` };
        const c = line[i]!;
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\') {
          if (windows) {
            const run = readWindowsBackslashes(line, i);
            word += run.text;
            i = run.next; // an even run leaves the `"` to close the quote on the next turn
            continue;
          }
          const next = line[i + 1];
          if (next === undefined) return { ok: false, message: `unterminated double quote opened at position ${open}` };
          if (DQUOTE_ESCAPABLE.has(next)) {
            if (next !== '\n') word += next; // backslash-newline is a line continuation
            i += 2;
            continue;
          }
        }
        word += c;
        i++;
      }
      inWord = true;
    } else if (ch === '\\') {
      if (windows) {
        const run = readWindowsBackslashes(line, i);
        word += run.text;
        inWord = true;
        i = run.next; // an even run leaves the `"` to open a quoted part on the next turn
        continue;
      }
      const next = line[i + 1];
      if (next === undefined) return { ok: false, message: `trailing backslash at position ${i} escapes nothing` };
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i += 2;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) argv.push(word);
  if (argv.length === 0) return { ok: false, message: 'empty command' };
  return { ok: true, argv };
}

/**
 * Reads a run of backslashes at `start` under Windows rules: the text it stands for, and
 * where scanning resumes. After an odd run before `"` the quote is consumed as a literal;
 * after an even run it is left in place to act as a delimiter.
 */
function readWindowsBackslashes(line: string, start: number): { text: string; next: number } {
  let end = start;
  while (line[end] === '\\') end++;
  const count = end - start;
  if (line[end] !== '"') return { text: '\\'.repeat(count), next: end };
  const half = '\\'.repeat(Math.floor(count / 2));
  return count % 2 === 1 ? { text: `${half}"`, next: end + 1 } : { text: half, next: end };
}
