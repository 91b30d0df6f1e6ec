/**
 * Where a SQL text's first statement really starts. Databases skip whitespace, comments
 * (`--`, `#`, `/* *\/`), empty statements (`;`) and opening parentheses before the first
 * keyword, so a check on "the text starts with SELECT/DROP" must skip them too. MySQL runs
 * the inside of `/*!…*\/` and `/*!50000…*\/`, so those are read as code, not skipped.
 */

/** The index of the first character a database reads as code (text.length when there is none). */
export function sqlCodeStart(text: string): number {
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    const n = text.charAt(i + 1);
    if (/\s/.test(c) || c === ';' || c === '(') i += 1;
    else if (c === '/' && n === '*' && text.charAt(i + 2) === '!') {
      // MySQL's executable comment: its optional version number, then code.
      i += 3;
      while (i < text.length && /[0-9]/.test(text.charAt(i))) i += 1;
    } else if (c === '/' && n === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return text.length;
      i = close + 2;
    } else if ((c === '-' && n === '-') || c === '#') {
      while (i < text.length && text.charAt(i) !== '\n' && text.charAt(i) !== '\r') i += 1;
    } else return i;
  }
  return i;
}

/** The text from its first code character on, at most `length` characters of it. */
export function sqlHead(text: string, length = 32): string {
  const start = sqlCodeStart(text);
  return text.slice(start, start + length);
}
