import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/clients/diff.js';
import { scaled } from '../test-scale.js';

/** Apply a unified diff to `before` by its hunk headers, checking every context and removed line. */
function applyDiff(before: string, diff: string): string {
  const old = before.split(/(?<=\n)/).filter((l) => l !== '');
  const out: string[] = [];
  let at = 0;
  const lines = diff.split('\n').slice(2, -1);
  for (let i = 0; i < lines.length; i++) {
    const header = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(lines[i]!);
    if (!header) throw new Error(`expected a hunk header, got ${lines[i]}`);
    const start = Number(header[2]) === 0 ? Number(header[1]) : Number(header[1]) - 1;
    out.push(...old.slice(at, start));
    at = start;
    while (i + 1 < lines.length && !lines[i + 1]!.startsWith('@@')) {
      const line = lines[++i]!;
      const noNewline = lines[i + 1] === '\\ No newline at end of file';
      if (noNewline) i++;
      const body = line.slice(1);
      if (line[0] === '+') out.push(noNewline ? body : `${body}\n`);
      else {
        expect(old[at]!.replace(/\n$/, '')).toBe(body);
        if (line[0] === ' ') out.push(old[at]!);
        at++;
      }
    }
  }
  return out.concat(old.slice(at)).join('');
}

const temp = mkdtempSync(path.join(tmpdir(), 'vanguard-diff-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n', 'f')).toBe('');
  });

  it('shows one change with three lines of context', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const after = 'a\nb\nc\nd\nE\nf\ng\nh\n';
    expect(unifiedDiff(before, after, 'x.json')).toBe('--- a/x.json\n+++ b/x.json\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n');
  });

  it('flags a last line without a newline', () => {
    expect(unifiedDiff('a\nb', 'a\nc', 'f')).toBe('--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n');
  });

  it('rebuilds the new text from the old one, line by line', () => {
    const line = fc.constantFrom('{', '}', '  "a": 1,', '  "b": [', '    "x"', '  ]', '', 'z');
    const text = fc.tuple(fc.array(line, { maxLength: 30 }), fc.boolean(), fc.boolean()).map(([ls, nl, crlf]) => {
      const eol = crlf ? '\r\n' : '\n';
      return ls.join(eol) + (nl && ls.length > 0 ? eol : '');
    });
    fc.assert(
      fc.property(text, text, (before, after) => {
        const diff = unifiedDiff(before, after, 'f');
        expect(diff === '').toBe(before === after);
        if (diff !== '') expect(applyDiff(before, diff)).toBe(after);
      }),
      { numRuns: scaled(500) },
    );
  });

  it('is a patch the system patch tool applies', () => {
    const before = readFileSync(new URL('../fixtures/clients/claude-desktop.json', import.meta.url), 'utf8');
    const after = before.replace('"npx"', '"/usr/bin/node"').replace('"-y",', '"x",\n        "-y",');
    const file = path.join(temp, 'f.json');
    writeFileSync(file, before);
    writeFileSync(path.join(temp, 'p.diff'), unifiedDiff(before, after, 'f.json'));
    execFileSync('patch', ['-p1', '-s', '-i', 'p.diff'], { cwd: temp });
    expect(readFileSync(file, 'utf8')).toBe(after);
  });
});
