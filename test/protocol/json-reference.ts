/**
 * What JSON.parse reads on a Node without Node 24.21.0's key fault (src/protocol/escaped-keys.ts),
 * for tests that compare the shim's readers with JSON.parse. There, JSON.parse can give a key
 * spelled with an escape the value of an earlier key, so a generated text with such keys makes
 * a comparison fail on Node 24 by the reference's fault, not the code's.
 *
 * JSON.parse still decides what is JSON (and throws as it does); the value is then built here,
 * each string and number token read by JSON.parse on its own (a key read as a string value is
 * read right), objects as JSON.parse makes them: the last of a repeated key wins in the first
 * one's place, and "__proto__" is an own property. An independent reading: not the shim's parser.
 */
export function referenceJsonParse(text: string): unknown {
  JSON.parse(text);
  const reader = { text, pos: 0 };
  return readValue(reader);
}

interface Reader {
  text: string;
  pos: number;
}

function skipSpace(r: Reader): void {
  while (r.pos < r.text.length && ' \t\n\r'.includes(r.text[r.pos]!)) r.pos++;
}

function readString(r: Reader): string {
  const start = r.pos;
  r.pos++;
  while (r.text[r.pos] !== '"') r.pos += r.text[r.pos] === '\\' ? 2 : 1;
  r.pos++;
  return JSON.parse(r.text.slice(start, r.pos)) as string;
}

function readValue(r: Reader): unknown {
  skipSpace(r);
  const c = r.text[r.pos];
  if (c === '"') return readString(r);
  if (c === '{') {
    r.pos++;
    const object: Record<string, unknown> = {};
    skipSpace(r);
    if (r.text[r.pos] === '}') {
      r.pos++;
      return object;
    }
    for (;;) {
      skipSpace(r);
      const key = readString(r);
      skipSpace(r);
      r.pos++; // ':'
      Object.defineProperty(object, key, { value: readValue(r), writable: true, enumerable: true, configurable: true });
      skipSpace(r);
      if (r.text[r.pos++] === '}') return object;
    }
  }
  if (c === '[') {
    r.pos++;
    const array: unknown[] = [];
    skipSpace(r);
    if (r.text[r.pos] === ']') {
      r.pos++;
      return array;
    }
    for (;;) {
      array.push(readValue(r));
      skipSpace(r);
      if (r.text[r.pos++] === ']') return array;
    }
  }
  const start = r.pos;
  while (r.pos < r.text.length && !',]} \t\n\r'.includes(r.text[r.pos]!)) r.pos++;
  return JSON.parse(r.text.slice(start, r.pos)) as unknown;
}
