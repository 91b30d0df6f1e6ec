/**
 * Issue 8, differential: the same client frames through the built CLI into servers that
 * read lines as different peers do (Python universal newlines, str.splitlines, Node
 * readline, "\n" only). Each server records every line it read; each must have read
 * exactly the frames the shim decided to forward, one line each, and nothing else.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { byId, initialize, startCli } from '../e2e/harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SERVER = path.join(here, 'fixtures', 'line-reader-server.mjs');
const POLICY = path.join(here, 'fixtures', 'policy.yaml');
const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-differential-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMUGGLED = '{"jsonrpc":"2.0","id":99,"method":"tools/call","params":{"name":"write_file","arguments":{"path":"/tmp/pwned","content":"x"}}}';
const LS = '\u2028';
const PS = '\u2029';
const NEL = '\u0085';
const BOM = '\ufeff';
const PAD = 'x'.repeat(80 * 1024);

/** [what the client writes, what the shim decided to forward (parsed) or null when it answers itself]. */
const FRAMES: Array<[string, unknown]> = [
  // A denied call after a bare CR: JSON whitespace to the shim, a line end to most readers.
  [`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":\r${SMUGGLED}\r}}`, { jsonrpc: '2.0', id: 1, method: 'ping', params: { x: JSON.parse(SMUGGLED) } }],
  [`{"jsonrpc":"2.0","id":2,"method":"ping"}\r${' '.repeat(3)}`, { jsonrpc: '2.0', id: 2, method: 'ping' }],
  // A byte order mark the shim's decoder skips.
  [`${BOM}{"jsonrpc":"2.0","id":3,"method":"ping"}`, { jsonrpc: '2.0', id: 3, method: 'ping' }],
  // Separators inside strings: one string to JSON, line ends to str.splitlines. (Methods the
  // shim does not inspect: a tool call with them is refused for its hidden characters.)
  [`{"jsonrpc":"2.0","id":4,\r"method":"vendor/echo","params":{"text":"a${LS}b${NEL}c${PS}"}}`, { jsonrpc: '2.0', id: 4, method: 'vendor/echo', params: { text: `a${LS}b${NEL}c${PS}` } }],
  [`{"jsonrpc":"2.0","id":5,"method":"ping","params":{"${LS}":"${PS}${SMUGGLED.replace(/"/g, '\\"')}"}}`, { jsonrpc: '2.0', id: 5, method: 'ping', params: { [LS]: `${PS}${SMUGGLED}` } }],
  // The denied call sent plainly is refused by the shim and reaches no reader.
  [SMUGGLED.replace('"id":99', '"id":6'), null],
  // The same past the lengths from which the shim reads frames with JSON.parse and a check
  // (16 KiB) and tests plain ASCII by bytes (64 KiB): the fast path forwards one line too.
  // (Before the tool call below, which waits for the shim's own listing.)
  [`{"jsonrpc":"2.0","id":8,"method":"ping","params":{"pad":"${PAD}","x":\r${SMUGGLED}\r}}`, { jsonrpc: '2.0', id: 8, method: 'ping', params: { pad: PAD, x: JSON.parse(SMUGGLED) } }],
  [`{"jsonrpc":"2.0","id":9,\r"method":"vendor/echo","params":{"pad":"${PAD}","text":"a${LS}b${NEL}c${PS}\\r"}}`, { jsonrpc: '2.0', id: 9, method: 'vendor/echo', params: { pad: PAD, text: `a${LS}b${NEL}c${PS}\r` } }],
  // Inside a call the shim re-serialises.
  [`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"x":\r${SMUGGLED}\r}}}`, { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: { x: JSON.parse(SMUGGLED) } } }],
];

describe.each(['universal', 'splitlines', 'readline', 'lf'])('a server reading lines as %s', (reader) => {
  it('reads exactly the frames the shim decided to forward, one line each', async () => {
    const record = path.join(dir, `${reader}.lines`);
    const s = startCli(['start', '--policy', POLICY, '--', process.execPath, SERVER, reader, record]);
    try {
      s.send(initialize(0));
      await s.next(byId(0));
      s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      for (const [raw] of FRAMES) s.send(raw);
      // Every frame is answered (by the server, or by the shim for the refused call).
      for (let id = 1; id <= FRAMES.length; id++) await s.next(byId(id));
      s.send({ jsonrpc: '2.0', id: 'end', method: 'ping' });
      await s.next(byId('end'));
    } finally {
      await s.close();
    }
    const lines = readFileSync(record, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as string);
    for (const line of lines) expect(line.startsWith(BOM)).toBe(false);
    const read = lines.map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return { unparsable: line };
      }
    });
    const expected = [initialize(0), { jsonrpc: '2.0', method: 'notifications/initialized' }, ...FRAMES.map(([, d]) => d).filter((d) => d !== null), { jsonrpc: '2.0', id: 'end', method: 'ping' }];
    // The shim lists the tools itself before the first call (list-fetch.ts): those requests
    // are its own, each one whole tools/list line, and take no place of a client frame.
    const own = read.filter((m) => typeof (m as { id?: unknown }).id === 'string' && String((m as { id: string }).id).startsWith('vanguard-list-'));
    for (const m of own) expect(m).toMatchObject({ jsonrpc: '2.0', method: 'tools/list' });
    expect(read.filter((m) => !own.includes(m))).toEqual(expected);
    // The denied call never reached the server as a call of its own.
    expect(read.some((m) => (m as { method?: string; params?: { name?: string } }).method === 'tools/call' && (m as { params: { name?: string } }).params.name === 'write_file')).toBe(false);
  });
});
