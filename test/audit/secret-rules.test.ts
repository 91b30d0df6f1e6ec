/**
 * The sink redacts with the secret rules inspection uses (buildSecretRedactor): every
 * positive example of the shipped secrets pack, wherever it sits in a record (arguments,
 * keys, reason, the preview of a dropped noise line, an operational message), is not in the
 * written line. Without the rules (the built-in shapes only) some examples do get through.
 */
import { describe, expect, it } from 'vitest';
import { createAuditSink } from '../../src/audit/sink.js';
import { shippedRules } from '../../src/inspect/build.js';
import { buildSecretRedactor } from '../../src/inspect/secret-redactor.js';

const examples = shippedRules()
  .rules.filter((rule) => rule.category === 'secrets')
  .flatMap((rule) => rule.examples.match.map((example) => (typeof example === 'string' ? example : JSON.stringify(example.args))));

function written(redactSecrets?: (text: string) => string): string {
  const lines: string[] = [];
  const sink = createAuditSink({ serverName: 's', sessionId: 'x', stderr: { write: (line: string) => lines.push(line) }, arguments: 'redacted', redactKeys: [], chain: false, level: 'debug', ...(redactSecrets && { redactSecrets }) });
  examples.forEach((text, i) => {
    sink.record({ direction: 'client', method: 'tools/call', id: i, tool: 'echo', verdict: 'block', rules: ['secret.x'], reason: `found ${text}`, decisionUs: 1, args: { note: text, [text]: 1 } });
    sink.record({ direction: 'server', verdict: 'drop', rules: ['protocol.noise'], decisionUs: 1, detail: { bytes: text.length, preview: text.slice(0, 120) } });
    sink.log('warn', `server said ${text}`, { line: text });
  });
  sink.flush();
  return lines.join('');
}

const leaked = (log: string) => examples.filter((text) => log.includes(text) || log.includes(JSON.stringify(text).slice(1, -1)));

describe('audit redaction by the secret rules', () => {
  it('leaves no example of the secrets pack in clear', () => {
    expect(examples.length).toBeGreaterThan(50);
    expect(leaked(written(buildSecretRedactor(shippedRules().rules)))).toEqual([]);
  });

  it('is needed: the built-in shapes alone let examples through', () => {
    expect(leaked(written()).length).toBeGreaterThan(0);
  });
});
