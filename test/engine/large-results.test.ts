/**
 * Large answers from the server take the quick paths: parsed once natively and checked
 * (src/protocol/unambiguous.ts), their strings known plain from the bytes
 * (src/protocol/plain-strings.ts). Every check still holds on them: secrets redacted,
 * instructions withheld, hidden characters stripped, repeated keys refused, exact digits kept,
 * and a clean result passes as the server wrote it.
 */
import { describe, expect, it } from 'vitest';
import { AWS_KEY, harness, INJECTION, notification, request, result } from '../adversarial/channels-helpers.js';

const PAD = 'lorem ipsum dolor sit amet '.repeat(40_000); // about 1 MiB of plain text

function listed() {
  const h = harness();
  h.client(request('l', 'tools/list'));
  h.server(result('l', { tools: [{ name: 'read', inputSchema: { type: 'object' } }] }));
  return h;
}

function answer(text: string, extra: Record<string, unknown> = {}) {
  const h = listed();
  h.client(request(1, 'tools/call', { name: 'read', arguments: {} }));
  return h.server(result(1, { content: [{ type: 'text', text }], ...extra }));
}

describe('a large result', () => {
  it('that is clean passes byte for byte', () => {
    const h = listed();
    h.client(request(1, 'tools/call', { name: 'read', arguments: {} }));
    const frame = Buffer.from(JSON.stringify(result(1, { content: [{ type: 'text', text: `${PAD}\n\t"quoted" C:\\dir` }] })));
    const out = h.engine.fromServer(frame);
    expect(out.outputs).toHaveLength(1);
    expect(Buffer.from(out.outputs[0]!.data).equals(frame)).toBe(true);
  });

  it('has a secret redacted, wherever it sits', () => {
    const out = answer(`${PAD}key=${AWS_KEY}\n${PAD}`);
    const text = out.toClient[0].result.content[0].text as string;
    expect(text).not.toContain(AWS_KEY);
    expect(text).toContain('[REDACTED:aws-access-key-id]');
    expect(out.records[0].verdict).toBe('rewrite');
  });

  it('is withheld when it carries instructions, also spelled with escapes', () => {
    expect(answer(`${PAD}${INJECTION}${PAD}`).toClient[0].result.isError).toBe(true);
    const escaped = JSON.stringify(result(1, { content: [{ type: 'text', text: `${PAD}${INJECTION}` }] })).replace('Ignore all', '\\u0049gnore all');
    const h = listed();
    h.client(request(1, 'tools/call', { name: 'read', arguments: {} }));
    const out = h.engine.fromServer(Buffer.from(escaped));
    expect(JSON.parse(String(out.outputs[0]!.data)).result.isError).toBe(true);
  });

  it('has hidden characters stripped when its text is not plain', () => {
    const out = answer(`${PAD}pay\u200b here\u001b[2K ${'caf\u00e9 '.repeat(10)}`);
    const text = out.toClient[0].result.content[0].text as string;
    expect(text).not.toMatch(/[\u200b\u001b]/);
    expect(out.records[0].rules).toContain('result.hidden');
  });

  it('is refused when a key repeats, at any depth', () => {
    const h = listed();
    h.client(request(1, 'tools/call', { name: 'read', arguments: {} }));
    const frame = `{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"${PAD}","type":"image"}]}}`;
    const out = h.engine.fromServer(Buffer.from(frame));
    expect(JSON.parse(String(out.outputs[0]!.data)).result.isError).toBe(true);
    expect(out.records[0].rules).toEqual(['protocol.strict-json']);
  });

  it('keeps the exact digits of its numbers when it is rewritten', () => {
    const h = listed();
    h.client(request(1, 'tools/call', { name: 'read', arguments: {} }));
    const frame = `{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"${PAD}${AWS_KEY}"}],"structuredContent":{"big":12345678901234567890,"one":1.0,"zero":-0}}}`;
    const out = String(h.engine.fromServer(Buffer.from(frame)).outputs[0]!.data);
    expect(out).toContain('"big":12345678901234567890,"one":1.0,"zero":-0');
    expect(out).not.toContain(AWS_KEY);
  });
});

describe('a large notification from the server', () => {
  it('has its secret redacted and its repeated keys refused', () => {
    const h = listed();
    const out = h.server(notification('notifications/message', { level: 'info', data: `${PAD}${AWS_KEY}` }));
    expect(out.toClient[0].params.data).toContain('[REDACTED:aws-access-key-id]');
    const repeated = `{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"${PAD}","data":"x"}}`;
    const dropped = h.engine.fromServer(Buffer.from(repeated));
    expect(dropped.outputs).toEqual([]);
    expect(dropped.records[0].rules).toEqual(['protocol.duplicate-key']);
  });
});
