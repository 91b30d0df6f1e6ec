/**
 * Character-level pieces of the shell reader that need no state: the escapes `$'…'`
 * decodes, the extent of a `${…}`, and here-document bodies. Each reads forward once.
 */

const NAMED: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** The escape at the backslash at `i` inside `$'…'`: the character, how long it was, and whether it was numeric. */
export function ansiEscape(text: string, i: number): { char: string; length: number; encoded: boolean } {
  const n = text.charAt(i + 1);
  const octal = /[0-7]/.test(n);
  const digits = n === 'x' ? /^[0-9a-f]{1,2}/i : n === 'u' ? /^[0-9a-f]{1,4}/i : n === 'U' ? /^[0-9a-f]{1,8}/i : octal ? /^[0-7]{1,3}/ : undefined;
  const found = digits?.exec(text.slice(i + (octal ? 1 : 2), i + 11))?.[0];
  if (found !== undefined) {
    const code = parseInt(found, octal ? 8 : 16);
    return { char: code <= 0x10ffff ? String.fromCodePoint(code) : '?', length: (octal ? 1 : 2) + found.length, encoded: true };
  }
  return { char: NAMED[n] ?? n, length: n === '' ? 1 : 2, encoded: false };
}

/** The text of a `${…}` whose content starts at `from`, with nested braces, and where it ends. */
export function scanBraces(text: string, from: number): { content: string; end: number; closed: boolean } {
  let depth = 1;
  let j = from;
  for (; j < text.length && depth > 0; j += 1) {
    if (text.charAt(j) === '{') depth += 1;
    else if (text.charAt(j) === '}') depth -= 1;
  }
  const closed = depth === 0;
  return { content: text.slice(from, closed ? j - 1 : j), end: j, closed };
}

/** Past the bodies of pending here-documents starting at `i`: each runs up to its delimiter line. */
export function skipHeredocs(text: string, i: number, docs: ReadonlyArray<{ delim: string; strip: boolean }>): number {
  let at = i;
  for (const { delim, strip } of docs) {
    while (at < text.length) {
      const eol = text.indexOf('\n', at);
      const line = text.slice(at, eol < 0 ? text.length : eol).replace(/\r$/, '');
      at = eol < 0 ? text.length : eol + 1;
      if ((strip ? line.replace(/^\t+/, '') : line) === delim) break;
    }
  }
  return at;
}
