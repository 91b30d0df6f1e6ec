/**
 * The method of a frame is chosen by the peer that sent it, so a client (or a server, for
 * its requests) can put a secret there; the audit wrote it in clear, in `method` and in `msg`
 * (noticed by h-review6). A method of MCP's shape is written as it is; anything else is
 * redacted like the tool name.
 */
import { describe, expect, it } from 'vitest';
import { createAuditSink } from '../../src/audit/sink.js';
import { peerMethod } from '../../src/audit/record.js';
import { shippedRules } from '../../src/inspect/build.js';
import { buildSecretRedactor } from '../../src/inspect/secret-redactor.js';

const KEY = 'AKIAEEF6727CPCP7XNA7';

describe('a peer-chosen method in the audit', () => {
  const redact = buildSecretRedactor(shippedRules().rules);

  it('keeps MCP method names and redacts anything else', () => {
    for (const method of ['tools/call', 'notifications/cancelled', 'resources/templates/list', 'sampling/createMessage', 'initialize', 'logging/setLevel']) {
      expect(peerMethod(method, redact)).toBe(method);
    }
    expect(peerMethod(`x/${KEY}`, redact)).not.toContain(KEY);
    expect(peerMethod(`tools/${KEY.toLowerCase()}`, redact)).not.toContain(KEY.toLowerCase());
  });

  it('never writes a secret sent as a method to a line', () => {
    const lines: string[] = [];
    for (const stderrFormat of ['json', 'pretty'] as const) {
      const sink = createAuditSink({ serverName: 's', sessionId: 'x', stderr: { write: (line: string) => void lines.push(line) }, stderrFormat, arguments: 'redacted', redactKeys: [], chain: false, level: 'debug', redactSecrets: redact });
      sink.record({ direction: 'client', method: `x/${KEY}`, id: 1, verdict: 'block', rules: ['protocol.method'], reason: 'r', decisionUs: 1 });
      sink.record({ direction: 'client', method: `vault ${KEY}`, verdict: 'forward', rules: [], decisionUs: 1 });
      sink.flush();
    }
    expect(lines).toHaveLength(4);
    expect(lines.join('')).not.toContain(KEY);
  });
});
