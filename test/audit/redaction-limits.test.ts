/**
 * A text the decoders refuse to read (one that grows more than fourfold under NFKC: 200 x
 * U+FDFA is 3,600 characters) must still be redacted, not thrown on. The audit redacts when its
 * queue is written, from a timer: at 185b1ab the decoders' LimitExceeded escaped from there and
 * ended the shim, so one tools/call argument (or tool name, or a noise line of the server's)
 * took the session down. Such a text is withheld whole: what it decodes to was not checked.
 */
import { describe, expect, it } from 'vitest';
import { createAuditSink } from '../../src/audit/sink.js';
import { shippedRules } from '../../src/inspect/build.js';
import { buildSecretRedactor } from '../../src/inspect/secret-redactor.js';

const GROWS = '\uFDFA'.repeat(200);

describe('redaction of text the decoders will not read', () => {
  it('withholds it whole instead of throwing, with and without the pre-test', () => {
    for (const preTest of [true, false]) {
      const redact = buildSecretRedactor(shippedRules().rules, { preTest });
      expect(redact(GROWS)).toBe('[REDACTED:unreadable]');
      expect(redact(`key AKIAEEF6727CPCP7XNA7 ${GROWS}`)).toBe('[REDACTED:unreadable]');
      // Text the decoders read is redacted as before.
      expect(redact('Ship the release notes by Friday, then tell the team.')).toBe('Ship the release notes by Friday, then tell the team.');
    }
  });

  it('lets the audit write every record that holds it', () => {
    const lines: string[] = [];
    const sink = createAuditSink({ serverName: 's', sessionId: 'x', stderr: { write: (line: string) => lines.push(line) }, arguments: 'redacted', redactKeys: [], chain: false, level: 'debug', redactSecrets: buildSecretRedactor(shippedRules().rules) });
    sink.record({ direction: 'client', method: 'tools/call', id: 1, tool: GROWS, verdict: 'block', rules: ['inspect.failure'], reason: 'r', decisionUs: 1, args: { text: GROWS } });
    sink.record({ direction: 'server', verdict: 'drop', rules: ['protocol.noise'], decisionUs: 1, detail: { bytes: 1, preview: GROWS.slice(0, 120) } });
    expect(() => sink.flush()).not.toThrow();
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain('\uFDFA'.repeat(16));
  });
});
