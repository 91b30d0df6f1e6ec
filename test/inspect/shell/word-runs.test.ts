/**
 * The lexer adds a run of ordinary characters to a word at once (WordBuilder.pushRun) where it
 * added them one by one (push). Any sequence of marks, expansions, pushes and runs must build
 * the word that pushing each character of the runs in turn builds: its text, its start and
 * every flag (a quote or escape just before a run still splits `c''url`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseShell } from '../../../src/inspect/detectors/shell/lexer.js';
import { WordBuilder, type ShellWord } from '../../../src/inspect/detectors/shell/word.js';
import { scaled } from '../../test-scale.js';

type Op = { kind: 'push'; c: string } | { kind: 'run'; text: string } | { kind: 'mark'; quoted: boolean } | { kind: 'expansion' } | { kind: 'glob'; c: string } | { kind: 'take' };

const char = fc.constantFrom(...'aZ09-_./=+é\u212a'.split(''));
const op: fc.Arbitrary<Op> = fc.oneof(
  char.map((c) => ({ kind: 'push' as const, c })),
  fc.string({ unit: char, minLength: 1, maxLength: 6 }).map((text) => ({ kind: 'run' as const, text })),
  fc.boolean().map((quoted) => ({ kind: 'mark' as const, quoted })),
  fc.constant({ kind: 'expansion' as const }),
  fc.constantFrom('*', '?', '[').map((c) => ({ kind: 'glob' as const, c })),
  fc.constant({ kind: 'take' as const }),
);

// Both builders fed the same operations, one pushing a run's characters one by one; the words taken.
function build(ops: readonly Op[], runs: boolean): ShellWord[] {
  const w = new WordBuilder();
  const words: ShellWord[] = [];
  let at = 0;
  for (const o of ops) {
    if (o.kind === 'push') w.push(o.c, at++);
    else if (o.kind === 'glob') w.pushGlob(o.c, at++);
    else if (o.kind === 'mark') w.mark(at++, o.quoted);
    else if (o.kind === 'expansion') w.expansion('$x', (at += 2) - 2);
    else if (o.kind === 'take') words.push(w.take());
    else if (runs) {
      // The run sits inside a longer text, where the characters before it were, as in a command line.
      const text = `${';'.repeat(at)}${o.text};`;
      w.pushRun(text, at, at + o.text.length);
      at += o.text.length;
    } else for (const c of o.text) w.push(c, at++);
  }
  words.push(w.take());
  return words;
}

describe('WordBuilder.pushRun against pushing each character', () => {
  it('builds the same words, flags and starts after any sequence of marks, pushes and runs', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 24 }), (ops) => {
      expect(build(ops, true)).toEqual(build(ops, false));
    }), { numRuns: scaled(5000) });
  });
  it('splits a word whose run of letters follows a quote between letters (c""url)', () => {
    const [word] = parseShell(`c""url -s x`, { windows: false, escapedNewlines: true }).commands[0]!.words;
    expect(word).toMatchObject({ text: 'curl', split: true, quoted: true });
    const [plain] = parseShell('curl -s x', { windows: false, escapedNewlines: true }).commands[0]!.words;
    expect(plain).toMatchObject({ text: 'curl', split: false, quoted: false, start: 0 });
  });
});

describe('the lexer on characters a shell takes literally, and on those it does not', () => {
  const options = { windows: false, escapedNewlines: true };
  it('reads each literal character inside a word as part of it, with no flag set', () => {
    for (const c of '!%+,-./0123456789:=@ABCXYZ]_abcxyz{}~') {
      const words = parseShell(`echo a${c}b ${c}x`, options).commands[0]!.words;
      expect(words.map((w) => w.text), c).toEqual(['echo', `a${c}b`, `${c}x`]);
      expect(words.every((w) => !w.split && !w.glob && !w.quoted && w.expansions === 0), c).toBe(true);
      expect(words.map((w) => w.start), c).toEqual([0, 5, 9]);
    }
  });
  it('marks a glob character after letters (a run ends before it)', () => {
    for (const c of '*?[') {
      const [, word] = parseShell(`ls ab${c}cd`, options).commands[0]!.words;
      expect(word, c).toMatchObject({ text: `ab${c}cd`, glob: true });
    }
  });
});
