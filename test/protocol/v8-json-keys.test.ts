/**
 * Node 24.21.0's JSON.parse (V8 13.6) misreads a key: after an object whose key is "\\" (one
 * backslash, written escaped), an object whose only key is one escaped character ("\u20ac",
 * "\u0041", "\n", "\"", "\/") is given the key "\\" instead. Node 20 and 22 read them right.
 * (Found by test/clients/rewrite.test.ts, whose own JSON.parse then disagreed with the file.)
 *
 * A client frame with any backslash is read by the shim's own strict parser, never by
 * JSON.parse (src/protocol/plain-read.ts), so a call's argument names are read as written
 * whatever Node runs the shim; these tests hold that, after the very frames that mislead
 * Node 24's JSON.parse. (Server frames: test/engine/server-reading.test.ts and
 * test/adversarial/escaped-key-frames.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { readClientText } from '../../src/protocol/plain-read.js';
import { parseStrict } from '../../src/protocol/strict-json.js';

// Each escaped one-character key, and the character it stands for.
const ESCAPED_KEYS: Array<[string, string]> = [
  ['\\u20ac', '€'],
  ['\\u00e9', 'é'],
  ['\\u0041', 'A'],
  ['\\u0063', 'c'],
  ['\\n', '\n'],
  ['\\"', '"'],
  ['\\/', '/'],
];

describe('keys of one escaped character, after a key "\\\\" (misread by Node 24.21.0\'s JSON.parse)', () => {
  it('the strict parser reads each as written', () => {
    for (const [escaped, key] of ESCAPED_KEYS) {
      expect(parseStrict('{"\\\\":1}')).toEqual({ ok: true, value: { '\\': 1 } });
      const read = parseStrict(`{"${escaped}":1}`);
      expect(read.ok && Object.keys(read.value as object)).toEqual([key]);
    }
  });

  it('a client frame naming an argument so is read with that name (not by JSON.parse)', () => {
    for (const [escaped, key] of ESCAPED_KEYS) {
      readClientText('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"run","arguments":{"\\\\":"x"}}}');
      const reading = readClientText(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"run","arguments":{"${escaped}":"rm -rf /"}}}`);
      expect(reading.parsed.ok).toBe(true);
      const value = (reading.parsed as { value: { params: { arguments: object } } }).value;
      expect(Object.keys(value.params.arguments)).toEqual([key]);
    }
  });
});
