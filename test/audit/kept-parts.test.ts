/**
 * The parts of a decision line that are made once and kept (text-memo.ts) and the one-pass
 * text of clean arguments (ArgumentProcessor.text) must never change a byte: every line is
 * the line pino writes for decisionFields, every msg the one made afresh, over records that
 * repeat their parts (so that kept parts are used) and carry secrets, control characters,
 * long and non-ASCII text, odd verdicts, cycles and bigints. A redactor that changes (as the
 * shim's does once its secret rules are loaded) is followed from the next line on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createArgumentProcessor, type ArgumentProcessor } from '../../src/audit/arguments.js';
import { bindingsText, decisionLine, levelPrefix, valueText } from '../../src/audit/line.js';
import { decisionFields, decisionMessage, decisionText, madeMessage } from '../../src/audit/record.js';
import { createSecretRedactor } from '../../src/audit/secret-patterns.js';
import { PairMemo, TextMemo } from '../../src/audit/text-memo.js';
import type { DecisionRecord } from '../../src/audit/types.js';
import { pinoWriter } from './helpers.js';
import { scaled } from '../test-scale.js';

const TIME = '2026-12-04T08:00:00.000Z';
const BASE = { server: 'tiny-server', session: '5f188dac' };
const { head: HEAD, pinoLine } = pinoWriter(BASE, TIME);

// The shipped shapes, then a stand-in for the secret rules (SECRET and digits).
const redactText = createSecretRedactor((text) => text.replace(/SECRET\d+/g, '[REDACTED:rule]'));
const redactValue = createArgumentProcessor({ mode: 'redacted', redactText });
const PROCESSORS: ReadonlyArray<[string, ArgumentProcessor]> = [
  ['redacted', createArgumentProcessor({ mode: 'redacted', redactText })],
  ['redacted, small limits', createArgumentProcessor({ mode: 'redacted', redactText, redactKeys: ['*path*'], limits: { maxNodes: 4, maxDepth: 2, truncateOver: 12, keepChars: 5 } })],
  ['hashed', createArgumentProcessor({ mode: 'hashed', redactText })],
  ['full', createArgumentProcessor({ mode: 'full', redactText })],
  ['omit', createArgumentProcessor({ mode: 'omit', redactText })],
];

// Small pools, so that the same parts come back line after line, beside arbitrary text.
const word = fc.constantFrom(
  'echo',
  'read_file',
  'hello vanguard',
  'x',
  '',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'password=hunter2',
  'key SECRET42 here',
  'tab\there',
  'quote " and \\',
  'é😀 non-ASCII',
  'lone \ud800 half',
  '\u2028line sep',
  'del\u007f',
  'y'.repeat(101),
  'z'.repeat(300),
  'w'.repeat(1100),
  'apiKey',
  'path',
  '__proto__',
);
const text = fc.oneof({ weight: 4, arbitrary: word }, fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }));
const leaf = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const args = fc.oneof(
  { weight: 3, arbitrary: fc.dictionary(text, leaf, { maxKeys: 3 }) },
  fc.dictionary(text, fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(text, leaf, { maxKeys: 2 })), { maxKeys: 3 }),
  fc.array(leaf, { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 4 }),
  leaf,
  fc.constantFrom<unknown>(undefined, { n: 2n }, { when: new Date(0) }, { e: new Error('boom') }, { f: () => 1, u: undefined }, [undefined, Symbol('s')], Object.create(null), new Map([[1, 2]])),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const method = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('tools/call', 'tools/list', 'notifications/progress', 'ping') }, text, fc.constantFrom('Tools/Call', 'a/b/c/d/e', `tools/${'c'.repeat(70)}`));
const verdict = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('forward', 'rewrite', 'block', 'hide', 'drop', 'would-block') }, fc.constantFrom('toString', '__proto__', 'odd', ''));
const rules = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(['default'], [], ['tools.held-for-list'], ['pin.changed'], ['default:read_*']) },
  fc.array(text, { maxLength: 3 }),
);
const decision: fc.Arbitrary<DecisionRecord> = fc.record(
  {
    direction: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('client', 'server') }, fc.constantFrom('sideways', 'a"b')),
    method: maybe(method),
    id: maybe(fc.oneof(fc.integer(), fc.double(), fc.constant(null), text, fc.constant(-0))),
    tool: maybe(text),
    verdict,
    rules,
    reason: maybe(text),
    // Small whole numbers (kept texts), the edges of what is kept, and any other number.
    decisionUs: fc.oneof(fc.integer({ min: 0, max: 1100 }), fc.constantFrom(0, -0, 1023, 1024, -1, 0.5, 1e21), fc.integer({ min: 0, max: 1e6 }), fc.double()),
    args: maybe(args),
    detail: maybe(fc.oneof(fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), fc.constant({ matchedNoTool: [{ where: 'allow', glob: 'x*' }] }))),
  },
  { requiredKeys: ['direction', 'verdict', 'rules', 'decisionUs'] },
) as fc.Arbitrary<DecisionRecord>;

describe('kept parts of decision lines', () => {
  for (const [name, processArgs] of PROCESSORS) {
    it(`write what pino writes for decisionFields, and the msg made afresh (${name} arguments)`, () => {
      fc.assert(
        fc.property(decision, (d) => {
          const msg = decisionMessage(d, redactText);
          expect(msg).toBe(madeMessage(d, redactText));
          const fields = decisionFields(d, processArgs, redactValue, redactText);
          const line = decisionText(HEAD, d, processArgs, redactValue, redactText, msg);
          expect(line).toBe(decisionLine(levelPrefix(30), `,"time":"${TIME}"`, bindingsText(BASE), fields, msg));
          if (line !== undefined) expect(line).toBe(pinoLine(fields, msg));
        }),
        { numRuns: scaled(2500) },
      );
    });
  }

  it('write each line with its own head when lines of other heads come between', () => {
    // A head and the direction and method after it are joined once for a run of lines that
    // share both: another time, level or session must not be answered with the last run's.
    const heads = [0, 1, 2].map((i) => pinoWriter({ ...BASE, session: `s${i}` }, `2026-12-04T08:00:0${i}.000Z`));
    const processArgs = PROCESSORS[0]![1];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), decision), { minLength: 1, maxLength: 8 }), (lines) => {
        for (const [at, d] of lines) {
          const msg = decisionMessage(d, redactText);
          const line = decisionText(heads[at]!.head, d, processArgs, redactValue, redactText, msg);
          if (line !== undefined) expect(line).toBe(heads[at]!.pinoLine(decisionFields(d, processArgs, redactValue, redactText), msg));
        }
      }),
      { numRuns: scaled(500) },
    );
  });

  it('the same decision written again gives the same line, with the parts kept', () => {
    const d: DecisionRecord = { direction: 'client', method: 'tools/call', id: 7, tool: 'echo', verdict: 'forward', rules: ['default'], decisionUs: 12, args: { text: 'hello vanguard' } };
    const processArgs = PROCESSORS[0]![1];
    const first = decisionText(HEAD, d, processArgs, redactValue, redactText, decisionMessage(d, redactText));
    const expected = `${HEAD},"direction":"client","method":"tools/call","id":7,"tool":"echo","verdict":"forward","rules":["default"],"decisionUs":12,"args":{"text":"hello vanguard"},"msg":"forwarded tools/call echo"}\n`;
    expect(first).toBe(expected);
    for (let i = 0; i < 3; i++) expect(decisionText(HEAD, { ...d, args: { text: 'hello vanguard' } }, processArgs, redactValue, redactText, decisionMessage(d, redactText))).toBe(expected);
  });

  it('follow a redactor that changes: what it redacts now is redacted in the next line, kept parts or not', () => {
    let rulesLoaded = false;
    const changing = createSecretRedactor((value) => (rulesLoaded ? value.replace(/TOKEN\d+/g, '[REDACTED:rule]') : value));
    const processArgs = createArgumentProcessor({ mode: 'redacted', redactText: changing });
    const values = createArgumentProcessor({ mode: 'redacted', redactText: changing });
    const d = (): DecisionRecord => ({ direction: 'client', method: 'tools/call', id: 'TOKEN1', tool: 'TOKEN2', verdict: 'forward', rules: ['default'], decisionUs: 1, args: { q: 'TOKEN3', TOKEN4: 1 } });
    const line = () => decisionText(HEAD, d(), processArgs, values, changing, decisionMessage(d(), changing));
    for (let i = 0; i < 3; i++) expect(line()).toContain('TOKEN');
    rulesLoaded = true;
    for (let i = 0; i < 3; i++) {
      const written = line();
      expect(written).not.toContain('TOKEN');
      expect(written).toBe(pinoLine(decisionFields(d(), processArgs, values, changing), madeMessage(d(), changing)));
    }
  });

  it('follow a redactor that changes in argument names too: a name written before is redacted now', () => {
    let rulesLoaded = false;
    const changing = createSecretRedactor((value) => (rulesLoaded ? value.replace(/TOKEN\d+/g, '[REDACTED:rule]') : value));
    const processArgs = createArgumentProcessor({ mode: 'redacted', redactText: changing });
    const args = () => ({ TOKEN5: 1, n: 'x' });
    for (let i = 0; i < 3; i++) expect(processArgs.text!(args())).toBe('{"TOKEN5":1,"n":"x"}');
    rulesLoaded = true;
    expect(processArgs.text!(args())).toBeUndefined();
    expect(JSON.stringify(processArgs(args()))).toBe('{"[REDACTED:rule]":1,"n":"x"}');
  });
});

describe('ArgumentProcessor.text', () => {
  const processors = PROCESSORS.filter(([, processor]) => processor.text !== undefined);

  it('is only where redaction is: redacted mode', () => {
    expect(processors.map(([name]) => name)).toEqual(['redacted', 'redacted, small limits']);
  });

  for (const [name, processor] of processors) {
    it(`is JSON.stringify of the processed value, which is the value itself, or undefined (${name})`, () => {
      let written = 0;
      fc.assert(
        fc.property(args, (value) => {
          const shown = processor.text!(value);
          if (shown === undefined) return;
          written++;
          const processed = processor(value);
          expect(processed).toBe(value);
          expect(shown).toBe(JSON.stringify(processed));
          expect(shown).toBe(valueText(processed));
        }),
        { numRuns: scaled(3000) },
      );
      // The property above must not hold only for want of cases.
      expect(written).toBeGreaterThan(100);
    });
  }

  it('gives undefined for whatever the walk would change or write otherwise', () => {
    const [, redacted] = processors[0]!;
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const deep = { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } };
    for (const value of [
      { password: 'x' },
      { text: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
      { 'ghp_abcdefghijklmnopqrstuvwxyz0123456789': 1 },
      { text: 'a SECRET12 b' },
      { text: 'w'.repeat(1100) },
      cyclic,
      deep,
      { n: 2n },
      { n: Number.NaN },
      [Infinity],
      { when: new Date(0) },
      { e: new Error('boom') },
      { u: undefined },
      [undefined],
      new Map(),
      Array.from({ length: 70 }, (_, i) => i),
      'plain string',
      42,
      null,
      undefined,
    ]) {
      expect(redacted.text!(value)).toBeUndefined();
    }
    expect(redacted.text!({ text: 'hello vanguard', n: [1, true, null, 'é'] })).toBe('{"text":"hello vanguard","n":[1,true,null,"é"]}');
  });

  it('writes what it takes in JSON.stringify\'s bytes (key order, numbers, escapes, empty containers)', () => {
    const [, redacted] = processors[0]!;
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { z: 1, a: [] });
    const inherited = Object.assign(Object.create({ inheritedKey: 'x' }) as Record<string, unknown>, { own: 1 });
    const taken = [
      { b: 1, a: 2, 10: 'ten', 2: 'two', '-1': 'minus' },
      { zero: -0, big: 1e21, small: 5e-7, frac: 0.1 + 0.2, neg: -12 },
      { empty: {}, list: [], nested: [[], [{}], [[1]]] },
      { quote: 'say "hi"', slash: 'a\\b', tab: 'a\tb', nl: 'x\ny', del: 'd\u007f', sep: '\u2028', lone: 'a\ud800b', emoji: '😀', accent: 'é' },
      { 'key "quoted"': 1, 'ключ': 'значение', '\u0001': true },
      bare,
      [bare, null, false, ''],
    ];
    for (const value of taken) expect(redacted.text!(value)).toBe(JSON.stringify(value));
    // Inherited keys are not the object's: JSON.stringify leaves them out, and so does the text.
    expect(redacted.text!(inherited)).toBeUndefined();
    expect(redacted.text!({ x: inherited })).toBeUndefined();
    // A hole is undefined to the walk (JSON writes null, the walk would copy): left to it.
    // eslint-disable-next-line no-sparse-arrays
    expect(redacted.text!([1, , 2])).toBeUndefined();
  });

  it('keeps to smaller limits of the walk (nodes, depth, length)', () => {
    const [, small] = processors[1]!;
    expect(small.text!({ a: 1, b: 2 })).toBe('{"a":1,"b":2}');
    // Five values: the walk would write [LIMIT] for the last.
    expect(small.text!({ a: 1, b: 2, c: 3, d: 4 })).toBeUndefined();
    // A container at depth 2: [DEPTH].
    expect(small.text!({ a: { b: {} } })).toBeUndefined();
    // Longer than truncateOver (12): cut.
    expect(small.text!({ a: 'thirteen char' })).toBeUndefined();
    // A name of the extra key globs.
    expect(small.text!({ filepath: 'a' })).toBeUndefined();
  });
});

describe('TextMemo and PairMemo', () => {
  it('keep at most their entries, and no long keys', () => {
    const memo = new TextMemo(4, 8);
    let made = 0;
    const make = (key: string) => `<${key}:${++made}>`;
    expect(memo.text('a', make)).toBe('<a:1>');
    expect(memo.text('a', make)).toBe('<a:1>');
    expect(memo.text('123456789', make)).toBe('<123456789:2>');
    expect(memo.known('123456789')).toBeUndefined();
    for (const key of ['b', 'c', 'd']) memo.text(key, make);
    expect(memo.known('d')).toBe('<d:5>');
    // Full: the memory starts again.
    memo.text('e', make);
    expect(memo.known('a')).toBeUndefined();
    expect(memo.known('e')).toBe('<e:6>');

    const pairs = new PairMemo(3, 4);
    expect(pairs.keep('a', 'b', 'ab')).toBe('ab');
    expect(pairs.keep('a', 'c', 'ac')).toBe('ac');
    expect(pairs.keep('a', 'c', 'ac')).toBe('ac');
    expect(pairs.keep('abcde', 'c', 'long')).toBe('long');
    expect(pairs.known('abcde', 'c')).toBeUndefined();
    expect([pairs.known('a', 'b'), pairs.known('a', 'c'), pairs.known('b', 'a')]).toEqual(['ab', 'ac', undefined]);
    pairs.keep('b', 'a', 'ba');
    pairs.keep('c', 'a', 'ca');
    expect([pairs.known('a', 'b'), pairs.known('c', 'a')]).toEqual([undefined, 'ca']);
  });

  // The last key found is answered again without the map: the same text, for that key only,
  // and not once the map has been emptied (known() answers only what the map holds).
  it('answer the last key found again, and only while the map holds it', () => {
    const memo = new TextMemo(3, 8);
    const make = (key: string) => `<${key}>`;
    memo.keep('a', '<a>');
    memo.keep('b', '<b>');
    const twice = (key: string) => [memo.known(key), memo.known(key)];
    expect([...twice('a'), ...twice('b'), memo.known('a'), memo.known('c'), memo.known('a')]).toEqual(['<a>', '<a>', '<b>', '<b>', '<a>', undefined, '<a>']);
    // Equal text, not only the same string object.
    expect(memo.known(['a'].join(''))).toBe('<a>');
    memo.text('c', make);
    expect(memo.known('a')).toBe('<a>');
    // Full: emptied, and the last one found goes with it.
    memo.text('d', make);
    expect([memo.known('a'), memo.known('b'), memo.known('c'), memo.known('d')]).toEqual([undefined, undefined, undefined, '<d>']);

    const pairs = new PairMemo(2, 8);
    pairs.keep('a', 'b', 'ab');
    pairs.keep('a', 'c', 'ac');
    expect([pairs.known('a', 'b'), pairs.known('a', 'b'), pairs.known('a', 'c'), pairs.known('a', 'b'), pairs.known('b', 'a'), pairs.known('a', 'x'), pairs.known('x', 'b')]).toEqual(['ab', 'ab', 'ac', 'ab', undefined, undefined, undefined]);
    pairs.keep('b', 'a', 'ba');
    expect([pairs.known('a', 'b'), pairs.known('b', 'a')]).toEqual([undefined, 'ba']);
  });
});
