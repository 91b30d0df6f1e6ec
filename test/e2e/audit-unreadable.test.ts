/**
 * Fault test with real processes: one tools/call whose argument the decoders will not read
 * (200 x U+FDFA grows 18-fold under NFKC). Inspection refuses it; the audit must then record
 * it and the session go on. At 185b1ab the audit's redaction threw the decoders' LimitExceeded
 * from its flush timer: the shim died (exit 1) and the next call was never answered.
 */
import { describe, expect, it } from 'vitest';
import { byId, initialize, startCli, TINY_SERVER } from './harness.js';

describe('an argument the decoders will not read', () => {
  it('is refused, recorded, and the session goes on to the next call and a clean exit', async () => {
    const s = startCli(['start', '--', process.execPath, TINY_SERVER], { VANGUARD_NO_CACHE: '1' });
    s.send(initialize(0));
    await s.next(byId(0));
    s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    s.send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    await s.next(byId(1));
    s.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: '\uFDFA'.repeat(200) } } });
    const refused = (await s.next(byId(2))) as { result?: { isError?: boolean; content?: Array<{ text?: string }> } };
    // Past the audit's flush (it writes within a few ms of a record), the next call.
    await new Promise((resolve) => setTimeout(resolve, 300));
    s.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: { text: 'after' } } });
    const after = (await s.next(byId(3)).catch(() => undefined)) as { result?: { content?: Array<{ text?: string }> } } | undefined;
    const exit = await s.close();
    expect({
      refused: refused.result?.isError,
      after: JSON.stringify(after?.result?.content ?? null).includes('after'),
      code: exit.code,
      crashed: /LimitExceeded|^\s+at /m.test(s.stderr()),
    }).toEqual({ refused: true, after: true, code: 0, crashed: false });
  }, 60_000);
});
