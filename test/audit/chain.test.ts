import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, GENESIS_HEAD, chainHash, parseChainLine, sealLine } from '../../src/audit/chain.js';
import { verifyAuditLog } from '../../src/audit/verify.js';
import { scaled } from '../test-scale.js';

// A log built from the pure primitives, so verify can be tested without files.
function buildLog(count: number): string[] {
  let head = { ...GENESIS_HEAD };
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const sealed = sealLine(head, `{"level":"info","n":${i},"msg":"decision"}\n`);
    lines.push(sealed.text.slice(0, -1));
    head = sealed.head;
  }
  return lines;
}
const join = (lines: string[]) => `${lines.join('\n')}\n`;

describe('chainHash', () => {
  // The one-shot hash of prev + body must give what hashing the two in turn gives, on every
  // line (lone surrogates too: a line's quoting leaves them as they are), or old files would
  // no longer verify and a chain could not be continued.
  it('is sha256 over the UTF-8 of prev then body, as hashed in two updates', () => {
    const twoUpdates = (prev: string, body: string) => createHash('sha256').update(prev).update(body).digest('hex');
    const hexes = fc.stringMatching(/^[0-9a-f]{64}$/);
    fc.assert(
      fc.property(hexes, fc.string({ unit: 'binary', maxLength: 400 }), (prev, body) => chainHash(prev, body) === twoUpdates(prev, body)),
      { numRuns: scaled(2000) },
    );
    for (const body of ['', '{"a":"\ud800"}', '{"a":"\udc00x"}', '{"é":"😀"}']) expect(chainHash(GENESIS_HASH, body)).toBe(twoUpdates(GENESIS_HASH, body));
    // A known value, so that both sides cannot drift together.
    expect(chainHash(GENESIS_HASH, '{"seq":0}')).toBe('bbf471d92b18d58be28689da389f17997e2925d09c0d12b359d136d1ab2865e2');
  });
});

describe('sealLine and parseChainLine', () => {
  it('puts seq first and the chain fields last, hashing the line without them', () => {
    const { text, head } = sealLine(GENESIS_HEAD, '{"level":"info","msg":"x"}\n');
    const body = '{"seq":0,"level":"info","msg":"x"}';
    const hash = chainHash(GENESIS_HASH, body);
    expect(text).toBe(`{"seq":0,"level":"info","msg":"x","prev":"${GENESIS_HASH}","hash":"${hash}"}\n`);
    expect(head).toEqual({ nextSeq: 1, lastHash: hash });
    expect(parseChainLine(text.slice(0, -1))).toEqual({ seq: 0, prev: GENESIS_HASH, hash, body });
    expect(JSON.parse(text)).toMatchObject({ seq: 0, msg: 'x', prev: GENESIS_HASH, hash });
  });

  it('links each record to the previous hash', () => {
    const [first, second] = buildLog(2).map((line) => parseChainLine(line)!);
    expect(second?.prev).toBe(first?.hash);
    expect(second?.seq).toBe(1);
  });

  it('rejects lines without the chain shape', () => {
    expect(parseChainLine('{"level":"info"}')).toBeUndefined();
    expect(parseChainLine(buildLog(1)[0]!.slice(0, -1))).toBeUndefined();
    expect(() => sealLine(GENESIS_HEAD, 'not json\n')).toThrow(TypeError);
  });
});

describe('verifyAuditLog', () => {
  const log = buildLog(8);

  it('accepts an intact log and reports its last hash', () => {
    const result = verifyAuditLog(join(log));
    expect(result).toEqual({ ok: true, records: 8, lastSeq: 7, lastHash: parseChainLine(log[7]!)!.hash });
  });

  it('accepts an empty log', () => {
    expect(verifyAuditLog('')).toEqual({ ok: true, records: 0 });
  });

  it('accepts a log whose final newline is missing', () => {
    expect(verifyAuditLog(log.join('\n')).ok).toBe(true);
  });

  it.each([
    ['one character changed', (l: string[]) => { l[3] = l[3]!.replace('"n":3', '"n":4'); }, { line: 4, seq: 3, kind: 'altered' }],
    ['hash changed', (l: string[]) => { l[5] = `${l[5]!.slice(0, -3)}${l[5]!.at(-3) === '0' ? '1' : '0'}"}`; }, { line: 6, seq: 5, kind: 'altered' }],
    ['middle record removed', (l: string[]) => { l.splice(4, 1); }, { line: 5, seq: 5, kind: 'removed' }],
    ['first record removed', (l: string[]) => { l.splice(0, 1); }, { line: 1, seq: 1, kind: 'removed' }],
    ['three records removed', (l: string[]) => { l.splice(2, 3); }, { line: 3, seq: 5, kind: 'removed' }],
    ['two records swapped', (l: string[]) => { [l[2], l[3]] = [l[3]!, l[2]!]; }, { line: 3, seq: 3, kind: 'reordered' }],
    ['an old record replayed later', (l: string[]) => { l.splice(6, 0, l[1]!); }, { line: 7, seq: 1, kind: 'reordered' }],
    ['a record duplicated', (l: string[]) => { l.splice(3, 0, l[2]!); }, { line: 4, seq: 2, kind: 'reordered' }],
    ['a line inserted', (l: string[]) => { l.splice(2, 0, '{"level":"info","msg":"forged"}'); }, { line: 3, kind: 'malformed' }],
    ['a blank line inserted', (l: string[]) => { l.splice(2, 0, ''); }, { line: 3, kind: 'malformed' }],
  ])('%s', (_name, tamper, expected) => {
    const lines = [...log];
    tamper(lines);
    const result = verifyAuditLog(join(lines));
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject(expected);
    expect(result.problem?.message).toContain(`line ${expected.line}`);
  });

  it('names a record rewritten with a recomputed hash by its successor', () => {
    const lines = [...log];
    const original = parseChainLine(lines[3]!)!;
    const body = original.body.replace('"n":3', '"n":33');
    const hash = chainHash(original.prev, body);
    lines[3] = `${body.slice(0, -1)},"prev":"${original.prev}","hash":"${hash}"}`;
    const result = verifyAuditLog(join(lines));
    expect(result.problem).toMatchObject({ line: 4, seq: 3, kind: 'altered' });
    expect(result.records).toBe(3);
    expect(result.lastSeq).toBe(2);
  });

  it('reports a cut-off last line as truncated', () => {
    const text = join(log).slice(0, -40);
    expect(verifyAuditLog(text).problem).toMatchObject({ line: 8, kind: 'truncated' });
  });

  it('cannot see the last records removed, unless given an anchor', () => {
    const anchor = { seq: 7, hash: parseChainLine(log[7]!)!.hash };
    const shortened = join(log.slice(0, 6));
    expect(verifyAuditLog(shortened)).toMatchObject({ ok: true, records: 6, lastSeq: 5 });
    expect(verifyAuditLog(shortened, anchor).problem).toMatchObject({ kind: 'removed', seq: 7, line: 7 });
    expect(verifyAuditLog(join(log), anchor).ok).toBe(true);
  });

  it('detects a rewrite of the whole tail against an anchor', () => {
    const anchor = { seq: 5, hash: parseChainLine(log[5]!)!.hash };
    let head = { nextSeq: 4, lastHash: parseChainLine(log[3]!)!.hash };
    const forged = log.slice(0, 4);
    for (let i = 4; i < 8; i++) {
      const sealed = sealLine(head, `{"level":"info","n":${i},"msg":"forged"}\n`);
      forged.push(sealed.text.slice(0, -1));
      head = sealed.head;
    }
    expect(verifyAuditLog(join(forged)).ok).toBe(true);
    expect(verifyAuditLog(join(forged), anchor).problem).toMatchObject({ line: 6, seq: 5, kind: 'altered' });
  });

  it('rejects a hash-consistent line whose body is not a JSON object', () => {
    const body = '{"seq":0,broken}';
    const line = `{"seq":0,broken,"prev":"${GENESIS_HASH}","hash":"${chainHash(GENESIS_HASH, body)}"}`;
    expect(verifyAuditLog(`${line}\n`).problem).toMatchObject({ line: 1, kind: 'malformed' });
  });

  it('rejects a first record that does not start from genesis', () => {
    const body = '{"seq":0,"msg":"x"}';
    const prev = 'f'.repeat(64);
    const line = `{"seq":0,"msg":"x","prev":"${prev}","hash":"${chainHash(prev, body)}"}`;
    expect(verifyAuditLog(`${line}\n`).problem).toMatchObject({ line: 1, kind: 'altered' });
  });
});
