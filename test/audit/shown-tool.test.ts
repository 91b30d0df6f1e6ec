import { describe, expect, it } from 'vitest';
import { createAuditSink } from '../../src/audit/sink.js';

// The sink redacts a tool's name once per line and uses it for both the line's `tool` and its
// msg: both must be the redacted name, as when each redacted it on its own, and the secret
// rules run on the name once per line, not twice.
describe("a decision line's shown tool", () => {
  it('is the redacted name in `tool` and in msg, redacted once per line', async () => {
    const lines: string[] = [];
    let toolReads = 0;
    const sink = createAuditSink({
      serverName: 's',
      sessionId: 'x',
      stderr: { write: (line: string) => void lines.push(line) },
      arguments: 'redacted',
      redactKeys: [],
      chain: false,
      redactSecrets: (text) => {
        if (text.startsWith('tool_')) toolReads += 1;
        return text.replace(/SECRET\d+/g, '[REDACTED:rule]');
      },
      clock: () => new Date(0),
    });
    for (const [id, tool] of [[1, 'tool_SECRET123_read'], [2, 'tool_plain_name'], [3, 'tool_SECRET123_read']] as const) {
      sink.record({ direction: 'client', method: 'tools/call', id, tool, args: { text: 'hi' }, verdict: 'forward', rules: ['default'], decisionUs: 5 });
    }
    await sink.close();
    const records = lines.map((line) => JSON.parse(line) as { tool: string; msg: string });
    expect(records.map((r) => r.tool)).toEqual(['tool_[REDACTED:rule]_read', 'tool_plain_name', 'tool_[REDACTED:rule]_read']);
    expect(records.map((r) => r.msg)).toEqual(['forwarded tools/call tool_[REDACTED:rule]_read', 'forwarded tools/call tool_plain_name', 'forwarded tools/call tool_[REDACTED:rule]_read']);
    expect(lines.join('')).not.toContain('SECRET123');
    expect(toolReads).toBe(3);
  });
});
