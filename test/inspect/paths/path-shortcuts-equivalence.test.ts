/**
 * The path detector's shortcuts against the readings they stand for (issue 13): a path that
 * realpath gives back unchanged is not parsed again (resolveReal), and a text without `..`
 * is not split to count them (countDotDots). Paths from corpus strings, rule-pack examples,
 * generated paths of every anchor, and random text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusStrings, stringsIn } from '../corpus-strings.js';
import { shippedRules } from '../../../src/inspect/build.js';
import { parseAbsolute, parsePath } from '../../../src/inspect/detectors/paths/parse.js';
import { relativeBases, renderPath, renderPathFrom, resolveLexically, resolveLexicallyReadInFull, resolveReal, type AbsolutePath } from '../../../src/inspect/detectors/paths/resolve.js';
import { countDotDots, dotDotKind } from '../../../src/inspect/detectors/paths/traversal.js';
import { compileChecks, globForms, globFormsApart, trimWindowsName, trimWindowsNameReadInFull } from '../../../src/inspect/detectors/paths/match.js';
import type { PathContext } from '../../../src/inspect/types.js';
import { scaled, scaledItems } from '../../test-scale.js';

const EXAMPLES = shippedRules().rules.flatMap((r) => [...r.examples.match, ...r.examples.nomatch]).flatMap((e) => (typeof e === 'string' ? [e] : stringsIn(e.args)));
const SEEDS = ['/srv/data/reports/2026-q3.md', '/??/x', '/??', '\\??\\C:\\x', '//?/x', '/a/??/b', '??/x', '~/.ssh/id_rsa', '~root/x', '~Bob/x', 'C:\\Windows\\win.ini', 'c:/x/../y', '\\\\host\\share\\x', '\\\\.\\pipe\\x', '\\\\?\\GLOBALROOT\\x', 'file:///etc/passwd', 'file://host/share/x', 'file:///C:/x', '../../etc/passwd', '.../x', '..;/x', 'a/./b/../c', '', '/'];
const TEXTS = [...new Set([...SEEDS, ...EXAMPLES, ...corpusStrings()])].filter((t) => t.length <= 4096);
// The same with the corpus part at TEST_SCALE (the seeds and examples whole), for the longest loops.
const SOME_TEXTS = [...new Set([...SEEDS, ...EXAMPLES, ...scaledItems(corpusStrings())])].filter((t) => t.length <= 4096);

const CONTEXTS: PathContext[] = [
  { roots: ['/srv/data'], deny: [], cwd: '/srv/data', home: '/home/user', realpath: (p) => p },
  { roots: ['C:\\work'], deny: [], cwd: 'C:\\work', home: 'C:\\Users\\me', realpath: (p) => p },
  { roots: [], deny: [], cwd: '/??/odd', home: '/??', realpath: (p) => p, serverCwd: '\\\\srv\\share' },
];

// Every lexical path the detector can reach from a text: each reading, from each base.
function lexicalPaths(text: string): AbsolutePath[] {
  const out: AbsolutePath[] = [];
  for (const ctx of CONTEXTS) {
    for (const parsed of parsePath(text)) {
      for (const base of parsed.start.kind === 'relative' ? relativeBases(ctx) : [ctx.roots[0] ?? ctx.cwd]) {
        const lexical = resolveLexically(parsed, ctx, base);
        if (lexical) out.push(lexical);
      }
    }
  }
  return out;
}

// resolveReal as it read an answer before the shortcut: the realpath answer parsed.
const readInFull = (lexical: AbsolutePath, realpath: (p: string) => string | undefined): AbsolutePath => {
  const full = realpath(renderPath(lexical));
  return full === undefined ? lexical : (parseAbsolute(full) ?? lexical);
};

const identity = (p: string) => p;
const pathText = fc.array(fc.constantFrom('/', '\\', '//', '??', '?', '.', '..', 'a', 'B', 'c:', 'unc', 'file:', '~', '~x', '%2e', ' ', 'x y', '\u0000'), { maxLength: 10 }).map((parts) => parts.join(''));

describe('resolveReal: a path realpath gives back unchanged, not parsed again', () => {
  const check = (lexical: AbsolutePath): void => {
    expect(resolveReal(lexical, identity), JSON.stringify(lexical)).toEqual(readInFull(lexical, identity));
  };
  it('on the lexical paths of corpus strings, examples and seeds, under every context', () => {
    let n = 0;
    for (const text of SOME_TEXTS) for (const lexical of lexicalPaths(text)) (check(lexical), n++);
    expect(n).toBeGreaterThan(scaled(5000));
  }, 120_000);
  it('on generated paths', () => {
    fc.assert(fc.property(pathText, (text) => {
      for (const lexical of lexicalPaths(text)) check(lexical);
    }), { numRuns: scaled(10_000) });
  });
  it('on a POSIX path whose first part is ?? (which reads back as a device path)', () => {
    check({ anchor: { type: 'posix' }, segments: ['??', 'c:', 'x'] });
    check({ anchor: { type: 'posix' }, segments: ['??', 'pipe'] });
  });
});

describe('resolveLexically and renderPathFrom: an absolute path without dots taken as it is, a text that is its rendering kept', () => {
  const check = (text: string): number => {
    let n = 0;
    for (const ctx of CONTEXTS) {
      for (const parsed of parsePath(text)) {
        for (const base of parsed.start.kind === 'relative' ? relativeBases(ctx) : [ctx.roots[0] ?? ctx.cwd]) {
          const lexical = resolveLexically(parsed, ctx, base);
          expect(lexical, `${text} from ${base}`).toEqual(resolveLexicallyReadInFull(parsed, ctx, base));
          if (lexical === undefined) continue;
          // Its own parts, not the parsed path's list (a caller may change one and not the other).
          if (lexical.segments.length > 0) expect(lexical.segments).not.toBe(parsed.segments);
          // Given the text it was read from, or any other: renderPath's answer.
          for (const given of [text, renderPath(lexical), `${renderPath(lexical)}/`, renderPath(lexical).replace(/\//g, '\\'), `/${text}`]) expect(renderPathFrom(lexical, given), given).toBe(renderPath(lexical));
          n++;
        }
      }
    }
    return n;
  };
  it('on corpus strings, examples and seeds, under every context', () => {
    let n = 0;
    for (const text of SOME_TEXTS) n += check(text);
    expect(n).toBeGreaterThan(scaled(5000));
    // Not a comparison that never meets the shortcut: many corpus paths are written as they
    // render, so renderPathFrom answers with the text given. (Strings compare by value: whether
    // that is the text itself or a copy no test here can tell; the retention tests hold that a
    // kept key is never a view into a longer text.)
    expect(SOME_TEXTS.filter((t) => t.startsWith('/') && parsePath(t).some((p) => { const l = resolveLexically(p, CONTEXTS[0]!); return l !== undefined && renderPathFrom(l, t) === t; })).length).toBeGreaterThan(scaled(50));
  }, 120_000);
  it('on generated paths', () => {
    fc.assert(fc.property(pathText, (text) => {
      check(text);
    }), { numRuns: scaled(3000) });
  });
});

describe('countDotDots: a text without ".." has none', () => {
  const split = (text: string) => text.split(/[\\/]/).filter((s) => dotDotKind(s) !== undefined).length;
  it('on corpus strings, examples and random text', () => {
    for (const text of TEXTS) expect(countDotDots(text), text).toBe(split(text));
    fc.assert(fc.property(pathText, (text) => {
      expect(countDotDots(text)).toBe(split(text));
    }), { numRuns: scaled(5000) });
  });
});

describe('trimWindowsName: a name ending in none of the trimmed characters is kept as it is', () => {
  const name = fc.array(fc.constantFrom('a', 'A', 'x', ':', '$data', '$DATA', '::$data', '.', ' ', 'sam', '\u0000', 'é'), { maxLength: 6 }).map((p) => p.join(''));
  it('on corpus strings, examples and generated names', () => {
    for (const text of TEXTS) for (const part of text.split(/[\\/]/)) expect(trimWindowsName(part), part).toBe(trimWindowsNameReadInFull(part));
    fc.assert(fc.property(name, (n) => {
      expect(trimWindowsName(n)).toBe(trimWindowsNameReadInFull(n));
    }), { numRuns: scaled(10_000) });
    fc.assert(fc.property(fc.string({ maxLength: 12 }), (n) => {
      expect(trimWindowsName(n)).toBe(trimWindowsNameReadInFull(n));
    }), { numRuns: scaled(5000) });
  });
});

// parsePath's plain-text reading as it was before the POSIX shortcut and the char-code split:
// every prefix test in turn, and parts by a regex split.
const splitInFull = (text: string) => text.split(/[\\/]+/).filter((s) => s !== '');
function parsePlainInFull(path: string): ReturnType<typeof parsePath> {
  let text = path;
  const device = /^(?:[\\/]{2}[?.][\\/]|[\\/]\?\?[\\/])+/.exec(text);
  if (device) {
    text = text.slice(device[0].length);
    const unc = /^unc[\\/]/i.exec(text);
    if (unc) return [uncInFull(text.slice(unc[0].length))];
    if (!/^[a-z]:[\\/]/i.test(text)) {
      const [name = '', ...rest] = splitInFull(text);
      return [{ start: { kind: 'absolute', anchor: { type: 'device', name: name.toLowerCase() } }, segments: rest }];
    }
  }
  if (/^[\\/]{2}[^\\/]/.test(text)) return [uncInFull(text.slice(2)), { start: { kind: 'absolute', anchor: { type: 'posix' } }, segments: splitInFull(text) }];
  const drive = /^([a-z]):/i.exec(text);
  if (drive) return [{ start: { kind: 'absolute', anchor: { type: 'drive', letter: (drive[1] as string).toLowerCase() } }, segments: splitInFull(text.slice(2)) }];
  if (/[\\/]/.test(text[0] ?? '')) return [{ start: { kind: 'absolute', anchor: { type: 'posix' } }, segments: splitInFull(text) }];
  const home = /^~([a-z_][a-z0-9_.-]*)?(?=[\\/]|$)/i.exec(text);
  if (home) return [{ start: { kind: 'home', user: home[1] }, segments: splitInFull(text.slice(home[0].length)) }];
  return [{ start: { kind: 'relative' }, segments: splitInFull(text) }];
}
function uncInFull(text: string): ReturnType<typeof parsePath>[number] {
  const [host = '', share = '', ...rest] = splitInFull(text);
  return { start: { kind: 'absolute', anchor: { type: 'unc', host: host.toLowerCase(), share: share.toLowerCase() } }, segments: rest };
}

describe('parsePath: a plain POSIX path read at once, parts split by char codes', () => {
  // (file: URLs go through parseFileUrl, which reads its drive form with parsePlain too.)
  const plain = (text: string) => !/^file:/i.test(text);
  it('on corpus strings, examples and seeds', () => {
    let n = 0;
    for (const text of TEXTS) if (plain(text)) (expect(parsePath(text), JSON.stringify(text)).toEqual(parsePlainInFull(text)), n++);
    expect(n).toBeGreaterThan(1000);
  });
  it('on generated paths and random text', () => {
    fc.assert(fc.property(pathText, (text) => {
      if (plain(text)) expect(parsePath(text)).toEqual(parsePlainInFull(text));
    }), { numRuns: scaled(10_000) });
    fc.assert(fc.property(fc.string({ maxLength: 16 }), (text) => {
      if (plain(text)) expect(parsePath(text)).toEqual(parsePlainInFull(text));
    }), { numRuns: scaled(10_000) });
  });
  it('on texts that start like the other anchors', () => {
    for (const text of ['/', '\\', '//', '/?', '/??', '/??/', '\\??\\x', '/?x/y', '//?/c:/x', '\\\\.\\pipe\\x', '/\\x', '\\/x', '/.', '/x//y\\\\z/', 'f', 'F:/x', 'file', 'File:/x'.slice(1)]) {
      expect(parsePath(text), JSON.stringify(text)).toEqual(parsePlainInFull(text));
    }
  });
});

describe('globVerdict: the forms spelled once for the denied globs and the sensitive list', () => {
  // Contexts with denied globs of every shape: a path, a name, `~`, a Windows folder, an extglob.
  const DENYING: PathContext[] = [
    { ...(CONTEXTS[0] as PathContext), deny: ['~/.ssh/**', '*.pem', 'secrets/**', '/srv/data/private/**', '+(a|b).key'] },
    { ...(CONTEXTS[1] as PathContext), deny: ['C:\\work\\vault\\**', '*.KEY', 'x/**'] },
    { ...(CONTEXTS[2] as PathContext), deny: ['**/id_*', 'c:/x/**'] },
    CONTEXTS[0] as PathContext,
  ];
  const CHECKS = DENYING.map((ctx) => [ctx, compileChecks(ctx)] as const);
  const check = (lexical: AbsolutePath): void => {
    for (const [ctx, checks] of CHECKS) {
      const expected = { deniedBy: checks.deniedBy(lexical), sensitive: checks.isSensitive(lexical) };
      expect(checks.globVerdict(lexical), `${JSON.stringify(lexical)} ${JSON.stringify(ctx.deny)}`).toEqual(expected);
      const base = parseAbsolute(ctx.roots[0] ?? ctx.cwd);
      const { absolute, relative } = globFormsApart(lexical, base);
      expect(absolute).toEqual(globForms(lexical, undefined));
      expect(new Set([...absolute, ...relative])).toEqual(new Set(globForms(lexical, base)));
    }
  };
  it('on the lexical paths of corpus strings, examples and seeds', () => {
    let n = 0;
    for (const text of SOME_TEXTS) for (const lexical of lexicalPaths(text)) (check(lexical), n++);
    expect(n).toBeGreaterThan(scaled(5000));
  }, 120_000);
  it('on generated paths, and on names Windows trims', () => {
    fc.assert(fc.property(pathText, (text) => {
      for (const lexical of lexicalPaths(text)) check(lexical);
    }), { numRuns: scaled(3000) });
    for (const text of ['/srv/data/secrets./x', '/srv/data/a.key ', 'C:\\work\\vault.\\x', '/home/user/.ssh::$DATA/id_rsa', '/srv/data/private /k']) for (const lexical of lexicalPaths(text)) check(lexical);
  });
});
