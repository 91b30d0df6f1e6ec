/**
 * learnFacts as it was before its fast path (src/learn/facts.ts, 6f84b1c): every string read
 * through kindsOf, findUrls and the rest, and a facts object made per argument. The equivalence
 * test holds the fast one to this reading.
 */
import { isSecretKeyName, redactSecretsInText } from '../../src/audit/secret-patterns.js';
import { kindsOf, type KindHints } from '../../src/inspect/kinds.js';
import { parseShell } from '../../src/inspect/detectors/shell/lexer.js';
import { parsePath } from '../../src/inspect/detectors/paths/parse.js';
import { renderPath, resolveLexically } from '../../src/inspect/detectors/paths/resolve.js';
import { findUrls } from '../../src/inspect/detectors/network/extract.js';
import type { ArgumentKind, InspectedString } from '../../src/inspect/types.js';
import { statementKinds } from '../../src/constraints/statement-values.js';
import type { StatementKind } from '../../src/constraints/types.js';

/** What one argument showed. */
export interface ArgumentFacts {
  paths?: string[];
  hosts?: string[];
  schemes?: string[];
  /** One entry per command line: its commands, each a list of words. */
  commands?: string[][][];
  statements?: StatementKind[];
  /** Shell operators and constructs seen besides simple commands and pipes (`;`, `&&`, `>`, `$(`). */
  shell?: string[];
}

/** Facts per argument name. */
export type LearnFacts = Record<string, ArgumentFacts>;

// What kindsOf is given for a string's spellings: none (kindsOf reads no spelling; frozen, it cannot be given one).
const NO_VARIANTS = Object.freeze([]) as unknown as InspectedString['variants'];
const MAX_STRINGS = 64;
const MAX_CHARS = 4_096;
const MASK = '[REDACTED]';

// A word that is, or follows a flag naming, a credential: --password x, --token=x, long random strings.
function maskWords(words: string[]): string[] {
  return words.map((w, i) => {
    const prev = words[i - 1] ?? '';
    const flag = /^-{1,2}([a-z0-9_-]+)$/i.exec(prev);
    if (flag && isSecretKeyName(flag[1] as string)) return MASK;
    const assigned = /^-{0,2}([a-z0-9_.-]+)=(.*)$/i.exec(w);
    if (assigned && isSecretKeyName(assigned[1] as string)) return MASK;
    if (redactSecretsInText(w) !== w) return MASK;
    if (w.length >= 24 && /[a-z]/i.test(w) && /[0-9]/.test(w) && !/[/.]/.test(w)) return MASK;
    return w;
  });
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').slice(0, MAX_STRINGS);
  return [];
}

function hasAny(facts: object): boolean {
  for (const key in facts) if (Object.prototype.hasOwnProperty.call(facts, key)) return true;
  return false;
}

const add = <T>(list: T[] | undefined, item: T): T[] => (list ?? []).concat([item]);

// Calls repeat their argument names: each short name's secret test is remembered (bounded),
// rather than normalised and run through every name test again on every call. The test is
// a pure function of the name, so a remembered answer is the answer.
const secretNames = new Map<string, boolean>();
const NAMES_KEPT = 1024;
const NAME_CHARS_KEPT = 128;

function isSecretName(name: string): boolean {
  const known = secretNames.get(name);
  if (known !== undefined) return known;
  const secret = isSecretKeyName(name);
  if (name.length <= NAME_CHARS_KEPT) {
    if (secretNames.size >= NAMES_KEPT) secretNames.clear();
    secretNames.set(name, secret);
  }
  return secret;
}

/** The learnable facts of a call's arguments. `base` is where relative paths resolve (first root or cwd). */
export function learnFactsInFull(args: unknown, hints: KindHints, ctx: { cwd: string; roots: readonly string[]; home: string }): LearnFacts | undefined {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return undefined;
  let out: LearnFacts | undefined;
  const names = Object.keys(args);
  for (let n = 0; n < names.length; n++) {
    const name = names[n] as string;
    const value = (args as Record<string, unknown>)[name];
    // (Nothing is learnt from a number, a boolean or an object: most arguments of most calls.)
    if (typeof value !== 'string' && !Array.isArray(value)) continue;
    if (isSecretName(name)) continue;
    const facts: ArgumentFacts = {};
    for (const raw of stringsOf(value)) {
      if (raw.length > MAX_CHARS) continue;
      const kinds: ReadonlySet<ArgumentKind> = kindsOf({ path: name, key: name, isKey: false, raw, variants: NO_VARIANTS }, hints);
      if (kinds.has('path')) {
        const parsed = parsePath(raw)[0];
        const abs = parsed && resolveLexically(parsed, { roots: [...ctx.roots], deny: [], cwd: ctx.cwd, home: ctx.home, realpath: () => undefined });
        if (abs && redactSecretsInText(raw) === raw) facts.paths = add(facts.paths, renderPath(abs));
      }
      if (kinds.has('url') || kinds.has('command') || findUrls(raw).length > 0) {
        for (const u of new Set([raw.trim(), ...findUrls(raw)])) {
          if (!URL.canParse(u) || !/^[a-z][a-z0-9+.-]*:/i.test(u)) continue;
          const url = new URL(u);
          if (url.hostname !== '') facts.hosts = add(facts.hosts, url.hostname.replace(/\.+$/, ''));
          facts.schemes = add(facts.schemes, url.protocol.replace(/:$/, ''));
        }
      }
      if (kinds.has('command')) {
        const parse = parseShell(raw, { windows: false, escapedNewlines: true });
        const top = parse.commands.filter((c) => c.context === 'top');
        const cmds = top.map((c) => maskWords(c.words.map((w) => w.text)));
        if (cmds.length > 0) facts.commands = add(facts.commands, cmds);
        const constructs = [
          ...top.slice(1).map((c) => c.joint).filter((j) => j !== '|'),
          ...top.flatMap((c) => c.redirects.map((r) => r.op)),
          ...(parse.commands.length > top.length ? ['substitution'] : []),
        ];
        if (constructs.length > 0) facts.shell = [...new Set([...(facts.shell ?? []), ...constructs])];
      }
      if (kinds.has('sql')) {
        const k = statementKinds(raw);
        if (typeof k !== 'string') facts.statements = [...new Set([...(facts.statements ?? []), ...k])];
      }
    }
    if (facts.hosts) facts.hosts = [...new Set(facts.hosts)];
    if (facts.schemes) facts.schemes = [...new Set(facts.schemes)];
    if (hasAny(facts)) (out ??= {})[name] = facts;
  }
  return out;
}
