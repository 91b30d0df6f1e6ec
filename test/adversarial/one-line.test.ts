/**
 * Issue 8, "one frame is one line for every reader": what the shim writes, both ways, is
 * read as exactly the frame it decided on by universal-newline readers (Python, Node
 * readline, Java/.NET ReadLine), by str.splitlines and by "\n"-only readers (Go, Rust, the SDK).
 */
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrict, serializeStrict } from '../../src/protocol/strict-json.js';
import { engine, frame, linesPerReader, toClientText, toServerText, toolList } from './helpers.js';
import { scaled } from '../test-scale.js';

// Every reader reads exactly one line from `written`, and it parses to `decided`.
function expectOneFrame(written: string, decided: unknown): void {
  for (const [reader, lines] of Object.entries(linesPerReader(written))) {
    expect({ reader, lines: lines.length }).toEqual({ reader, lines: 1 });
    expect(JSON.parse(lines[0]!)).toEqual(decided);
  }
}

const SMUGGLED = '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"write_file","arguments":{"path":"/etc/passwd"}}}';

describe('one frame is one line for every reader', () => {
  it.each([
    ['a bare CR', '\r'],
    ['two CRs', '\r\r'],
    ['CRs around', '\r \r'],
  ])('does not let %s inside a client frame carry a second, unexamined frame', (_name, cr) => {
    const e = engine();
    const raw = `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":${cr}${SMUGGLED}${cr}}}`;
    const out = e.fromClient(Buffer.from(raw));
    const [written] = toServerText(out);
    expect(written).toBeDefined();
    expectOneFrame(written!, JSON.parse(raw));
    for (const lines of Object.values(linesPerReader(written!))) expect(lines.some((l) => l.startsWith('{"jsonrpc":"2.0","id":9'))).toBe(false);
  });

  it.each(['\u2028', '\u2029', '\u0085'])('escapes a raw U+%s inside a string of a client frame, forwarded raw or re-serialised', (sep) => {
    const e = engine();
    const raw = `{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///a${sep}${SMUGGLED.replace(/"/g, '\\"')}"}}`;
    expectOneFrame(toServerText(e.fromClient(Buffer.from(raw)))[0]!, JSON.parse(raw));
    const call = `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"a${sep}b"}}}`;
    expectOneFrame(toServerText(e.fromClient(Buffer.from(call)))[0]!, JSON.parse(call));
  });

  it('does not forward a leading byte order mark', () => {
    const out = engine().fromClient(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), frame({ jsonrpc: '2.0', id: 1, method: 'ping' })]));
    const [written] = toServerText(out);
    expect(written?.charCodeAt(0)).toBe(0x7b);
    expectOneFrame(written!, { jsonrpc: '2.0', id: 1, method: 'ping' });
  });

  it('makes a server answer one line to the client: CR whitespace, separators in strings, bytes that are not UTF-8', () => {
    const e = engine();
    e.fromClient(frame({ jsonrpc: '2.0', id: 1, method: 'resources/list' }));
    const raw = `{"jsonrpc":"2.0",\r"id":1,"result":{"resources":[],"note":"a\u2028b\u2029c\u0085d"}}`;
    expectOneFrame(toClientText(e.fromServer(Buffer.from(raw)))[0]!, JSON.parse(raw));
    e.fromClient(frame({ jsonrpc: '2.0', id: 2, method: 'resources/list' }));
    const bad = Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":2,"result":{"n":"'), Buffer.from([0xc2, 0x41, 0xe2, 0x80]), Buffer.from('"}}')]);
    const data = e.fromServer(bad).outputs[0]?.data;
    const bytes = typeof data === 'string' ? Buffer.from(data) : data!;
    // Valid UTF-8: every decoder reads what the shim decoded and decided on.
    expect(isUtf8(bytes)).toBe(true);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(JSON.parse(bad.toString('utf8')));
  });

  it('escapes separators in a list the shim rewrites', () => {
    const e = engine();
    e.fromClient(frame({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    const answer = toolList(1, ['echo', 'write_file']);
    (answer.result.tools[0] as Record<string, unknown>).description = `ok\u2028${SMUGGLED}`;
    const [written] = toClientText(e.fromServer(frame(answer)));
    expectOneFrame(written!, { ...answer, result: { tools: [answer.result.tools[0]] } });
  });

  it('serializeStrict writes U+0085, U+2028 and U+2029 escaped', () => {
    expect(serializeStrict({ a: 'x\u2028y\u2029z\u0085' })).toBe('{"a":"x\\u2028y\\u2029z\\u0085"}');
  });

  it('property: any JSON a client sends, with CRs as whitespace and separators in strings, is one frame to every reader', () => {
    const sep = fc.constantFrom('\r', '\u2028', '\u2029', '\u0085', 'a', ' ');
    const str = fc.array(fc.oneof(sep, fc.string({ maxLength: 3 })), { maxLength: 6 }).map((parts) => parts.join('').replace(/\r/g, 'r'));
    const value = fc.dictionary(str, fc.oneof(str, fc.integer(), fc.array(str, { maxLength: 3 })), { maxKeys: 4 });
    fc.assert(
      fc.property(value, fc.constantFrom('resources/read', 'tools/call', 'prompts/get', 'ping'), fc.integer({ min: 0, max: 3 }), (params, method, crs) => {
        const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: method === 'tools/call' ? { name: 'echo', arguments: params } : params });
        // Raw separators inside strings (JSON.stringify leaves them raw), CRs as whitespace.
        const raw = body.replace(/,/g, (c, at: number) => (at % (crs + 2) === 0 ? `\r${c}\r` : c));
        const parsed = parseStrict(raw);
        if (!parsed.ok) return; // a comma inside a string turned into CR: not a frame the client could send
        const out = engine().fromClient(Buffer.from(raw));
        for (const written of toServerText(out)) expectOneFrame(written, JSON.parse(raw));
      }),
      { numRuns: scaled(300) },
    );
  });
});
