/**
 * decisionText writes a decision's line without making its fields object: it must give the
 * bytes pino writes for decisionFields of the same decision, for every decision (and give up
 * exactly where the line needs pino's safe serialiser).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createArgumentProcessor } from '../../src/audit/arguments.js';
import { bindingsText, decisionLine, levelPrefix } from '../../src/audit/line.js';
import { decisionFields, decisionMessage, decisionText } from '../../src/audit/record.js';
import { createSecretRedactor } from '../../src/audit/secret-patterns.js';
import type { DecisionRecord } from '../../src/audit/types.js';
import { pinoWriter } from './helpers.js';
import { scaled } from '../test-scale.js';

const TIME = '2026-12-03T08:00:00.000Z';
const BASE = { server: 'tiny-server', session: 's"1\\' };
const { head: HEAD, pinoLine } = pinoWriter(BASE, TIME);

const redactText = createSecretRedactor((text) => text.replace(/SECRET\d+/g, '[REDACTED:rule]'));
const processArgs = createArgumentProcessor({ mode: 'redacted', redactText });
const hashArgs = createArgumentProcessor({ mode: 'hashed', redactText });
const redactValue = createArgumentProcessor({ mode: 'redacted', redactText });

const text = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('echo', 'read_file', 'password=hunter2 SECRET42', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'x'.repeat(120), 'a\nb "c" \\'));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const decision: fc.Arbitrary<DecisionRecord> = fc.record(
  {
    direction: fc.constantFrom('client', 'server'),
    method: maybe(fc.oneof(fc.constantFrom('tools/call', 'tools/list', 'ping'), text)),
    id: maybe(fc.oneof(fc.integer(), fc.double(), fc.constant(null), text)),
    tool: maybe(text),
    verdict: fc.constantFrom('forward', 'rewrite', 'block', 'hide', 'drop', 'would-block'),
    rules: fc.array(fc.oneof(fc.constantFrom('default', 'tools.held-for-list', 'pin.changed', 'metadata.poisoning'), text), { maxLength: 3 }),
    reason: maybe(text),
    decisionUs: fc.oneof(fc.integer({ min: 0, max: 1e6 }), fc.double()),
    args: maybe(fc.jsonValue({ maxDepth: 3 })),
    detail: maybe(fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })),
  },
  { requiredKeys: ['direction', 'verdict', 'rules', 'decisionUs'] },
) as fc.Arbitrary<DecisionRecord>;

describe('decisionText', () => {
  for (const [mode, args] of [['redacted', processArgs], ['hashed', hashArgs]] as const) {
    it(`writes the bytes pino writes for decisionFields (${mode} arguments)`, () => {
      fc.assert(
        fc.property(decision, (d) => {
          const msg = decisionMessage(d, redactText);
          const fields = decisionFields(d, args, redactValue, redactText);
          const line = decisionText(HEAD, d, args, redactValue, redactText, msg);
          expect(line).toBe(pinoLine(fields, msg));
          expect(line).toBe(decisionLine(levelPrefix(30), `,"time":"${TIME}"`, bindingsText(BASE), fields, msg));
        }),
        { numRuns: scaled(1500) },
      );
    });
  }

  it('gives up where decisionLine does (a bigint id, a cycle in the detail)', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const base: DecisionRecord = { direction: 'client', verdict: 'forward', rules: [], decisionUs: 1 };
    for (const d of [{ ...base, id: 10n as unknown as number }, { ...base, args: { n: 2n } }]) {
      expect(decisionText(HEAD, d, processArgs, redactValue, redactText, 'm')).toBeUndefined();
      expect(decisionLine(levelPrefix(30), `,"time":"${TIME}"`, bindingsText(BASE), decisionFields(d, processArgs, redactValue, redactText), 'm')).toBeUndefined();
    }
    // A cycle is cut by the redaction walk, so the line is still written, as decisionLine writes it.
    const d = { ...base, detail: cyclic };
    expect(decisionText(HEAD, d, processArgs, redactValue, redactText, 'm')).toBe(pinoLine(decisionFields(d, processArgs, redactValue, redactText), 'm'));
  });
});
