/**
 * What `policy learn` needs from a tools/call, computed when the call is decided and kept in
 * the audit record's `detail.learn` whatever the argument mode: per argument, the paths it
 * named (absolute, lexically resolved), the hosts and schemes of its URLs, the words of its
 * commands, and the kinds of its SQL statements. None of these is a secret; a path or host
 * that looks like one is dropped, and a command word that looks like one is masked.
 */
import { isSecretKeyName, redactSecretsInText } from '../audit/secret-patterns.js';
import { kindsOf, type KindHints } from '../inspect/kinds.js';
import { parseShell } from '../inspect/detectors/shell/lexer.js';
import { parsePath } from '../inspect/detectors/paths/parse.js';
import { renderPath, resolveLexically } from '../inspect/detectors/paths/resolve.js';
import { findUrls } from '../inspect/detectors/network/extract.js';
import type { ArgumentKind, InspectedString } from '../inspect/types.js';
import { statementKinds } from '../constraints/statement-values.js';
import type { StatementKind } from '../constraints/types.js';

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
export const MASK = '[REDACTED]';

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
export function learnFacts(args: unknown, hints: KindHints, ctx: { cwd: string; roots: readonly string[]; home: string }): LearnFacts | undefined {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return undefined;
  let out: LearnFacts | undefined;
  // Its own keys in Object.keys' order, without making their list (inherited ones passed over).
  for (const name in args) {
    if (!Object.prototype.hasOwnProperty.call(args, name)) continue;
    const value = (args as Record<string, unknown>)[name];
    // (Nothing is learnt from a number, a boolean or an object: most arguments of most calls.)
    if (typeof value !== 'string' && !Array.isArray(value)) continue;
    if (isSecretName(name)) continue;
    // Made when a string first gives a fact: most strings give none.
    let facts: ArgumentFacts | undefined;
    if (typeof value === 'string') facts = stringFacts(value, name, hints, ctx, facts);
    else {
      // The first MAX_STRINGS strings of the list, the rest of it unread.
      let seen = 0;
      for (let i = 0; i < value.length && seen < MAX_STRINGS; i++) {
        const item: unknown = value[i];
        if (typeof item !== 'string') continue;
        seen++;
        facts = stringFacts(item, name, hints, ctx, facts);
      }
    }
    if (facts === undefined) continue;
    if (facts.hosts) facts.hosts = [...new Set(facts.hosts)];
    if (facts.schemes) facts.schemes = [...new Set(facts.schemes)];
    if (hasAny(facts)) (out ??= {})[name] = facts;
  }
  return out;
}

// The string kindsOf is asked about: one object, rewritten for each string (kindsOf keeps none,
// and calls nothing that asks again), emptied after, so no argument is held past its call.
const ASKED: InspectedString = { path: '', key: '', isKey: false, raw: '', variants: NO_VARIANTS };

function kindsOfString(name: string, raw: string, hints: KindHints): ReadonlySet<ArgumentKind> {
  ASKED.path = name;
  ASKED.key = name;
  ASKED.raw = raw;
  try {
    return kindsOf(ASKED, hints);
  } finally {
    ASKED.path = ASKED.key = ASKED.raw = '';
  }
}

// What one string of argument `name` adds to `facts` (made here when it adds the first).
function stringFacts(raw: string, name: string, hints: KindHints, ctx: { cwd: string; roots: readonly string[]; home: string }, facts: ArgumentFacts | undefined): ArgumentFacts | undefined {
  if (raw.length > MAX_CHARS) return facts;
  const kinds = kindsOfString(name, raw, hints);
  const isPath = kinds.has('path');
  const isUrl = kinds.has('url');
  const isCommand = kinds.has('command');
  const isSql = kinds.has('sql');
  // Plain text without a colon has no URL in it (findUrls starts from a `://`): nothing to learn.
  if (!isPath && !isUrl && !isCommand && !isSql && raw.indexOf(':') === -1) return facts;
  const f: ArgumentFacts = facts ?? {};
  if (isPath) {
    const parsed = parsePath(raw)[0];
    const abs = parsed && resolveLexically(parsed, { roots: [...ctx.roots], deny: [], cwd: ctx.cwd, home: ctx.home, realpath: () => undefined });
    if (abs && redactSecretsInText(raw) === raw) f.paths = add(f.paths, renderPath(abs));
  }
  if (isUrl || isCommand || findUrls(raw).length > 0) {
    for (const u of new Set([raw.trim(), ...findUrls(raw)])) {
      if (!URL.canParse(u) || !/^[a-z][a-z0-9+.-]*:/i.test(u)) continue;
      const url = new URL(u);
      if (url.hostname !== '') f.hosts = add(f.hosts, url.hostname.replace(/\.+$/, ''));
      f.schemes = add(f.schemes, url.protocol.replace(/:$/, ''));
    }
  }
  if (isCommand) {
    const parse = parseShell(raw, { windows: false, escapedNewlines: true });
    const top = parse.commands.filter((c) => c.context === 'top');
    const cmds = top.map((c) => maskWords(c.words.map((w) => w.text)));
    if (cmds.length > 0) f.commands = add(f.commands, cmds);
    const constructs = [
      ...top.slice(1).map((c) => c.joint).filter((j) => j !== '|'),
      ...top.flatMap((c) => c.redirects.map((r) => r.op)),
      ...(parse.commands.length > top.length ? ['substitution'] : []),
    ];
    if (constructs.length > 0) f.shell = [...new Set([...(f.shell ?? []), ...constructs])];
  }
  if (isSql) {
    const k = statementKinds(raw);
    if (typeof k !== 'string') f.statements = [...new Set([...(f.statements ?? []), ...k])];
  }
  return f;
}
