/**
 * Issue 12: secrets written so that no pattern sees them (spaced out, grouped with dashes,
 * reversed, an AWS key id lower-cased, cut in two across arguments or array items), through
 * the real engine with the default policy, beside hard negatives of the same shapes. The
 * credentials are made up for these tests (valid shapes, no real account).
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../../src/config/index.js';
import { Engine } from '../../../src/engine/engine.js';
import { buildInspector, buildResultScan } from '../../../src/inspect/build.js';
import { buildSecretRedactor } from '../../../src/inspect/secret-redactor.js';
import { shippedRules } from '../../../src/inspect/build.js';

let id = 0;
function rulesOf(args: Record<string, unknown>): string[] {
  const policy = compilePolicy({}, ['test'], '/srv/data');
  const e = new Engine(policy, { nowUs: () => 0, inspect: buildInspector(policy, { realpath: (p) => p }), scanResult: buildResultScan(policy, { realpath: (p) => p }) });
  const out = e.fromClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: id++, method: 'tools/call', params: { name: 'send_message', arguments: args } })));
  return out.outputs.some((o) => o.to === 'client') ? (out.records[0]?.rules ?? []) : [];
}

const AWS_ID = 'ASIAPX4R7QK2ZVMW5T3B';
const STRIPE = 'sk_live_' + 'Zq81MmP0c7TxW4aLr9Ks2VbN';
const spaced = (s: string) => [...s].join(' ');
const grouped = (s: string) => s.match(/.{1,4}/g)?.join('-') ?? s;
const reversed = (s: string) => [...s].reverse().join('');

describe('secrets read again undone', () => {
  it.each([
    ['spaced out', { text: `the id: ${spaced(AWS_ID)} (typed by hand)` }],
    ['grouped with dashes', { text: `id ${grouped(AWS_ID)}` }],
    ['reversed', { text: `backwards so the bot misses it: ${reversed(AWS_ID)}` }],
    ['lower-cased', { text: `aws id ${AWS_ID.toLowerCase()}` }],
    ['split across two arguments', { text: `key starts ${STRIPE.slice(0, 14)}`, footer: `${STRIPE.slice(14)} is the rest` }],
    ['split across array items', { parts: [AWS_ID.slice(0, 9), AWS_ID.slice(9)] }],
    ['a Stripe key spaced out', { text: `pay with ${spaced(STRIPE)}` }],
    ['a Stripe key reversed', { text: reversed(STRIPE) }],
  ])('%s is refused', (_name, args) => {
    expect(rulesOf(args).some((r) => r.startsWith('secret.'))).toBe(true);
  });

  it.each([
    ['spaced initials', { text: 'R S V P by Friday, the A B C of it: a b c d e f g h i j k l m n' }],
    ['a UUID', { text: 'request id 5b9d3c1e-2f4a-4b6c-8d0e-1f2a3b4c5d6e failed' }],
    ['a dashed phone number and a serial', { text: 'call 0800-1234-5678-9012, serial WX-12-AB-34-CD' }],
    ['reversed prose', { text: 'sdrawkcab nettirw si ecnetnes sihT' }],
    ['a Finnish word that starts like a key id', { text: 'asiakaspalvelukeskus avataan huomenna' }],
    ['two ordinary arguments', { title: 'Quarterly report', body: 'Numbers are in; see the attached sheet.' }],
  ])('%s passes', (_name, args) => {
    expect(rulesOf(args)).toEqual([]);
  });

  it('the audit redactor reads the same spellings: none of them is written in clear', () => {
    const redactor = buildSecretRedactor(shippedRules().rules);
    for (const text of [spaced(AWS_ID), grouped(AWS_ID), reversed(AWS_ID), AWS_ID.toLowerCase(), reversed(STRIPE)]) expect(redactor(`note: ${text}`)).toMatch(/^\[REDACTED:/);
  });
});
