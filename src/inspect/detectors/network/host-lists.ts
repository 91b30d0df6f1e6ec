/**
 * The policy's host allow and deny lists. A glob is matched against the host
 * as written (decoded), its canonical address when it is an IP, and each of
 * those with the port (`localhost:3000`), so `127.1:3000` is allowed by
 * `127.0.0.1:3000` and `[::1]` by `::1`.
 *
 * Globs are the policy's one dialect (micromatch: `*`, `?`, `[a-z]`, `{a,b}`), run on the
 * linear-time engine like path globs, so a long host costs no more than its length.
 */
import { globTest, type PathTest } from '../paths/glob-regex.js';
import { decodeHost } from './host.js';

// Ports URL clients use when none is written.
const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443', ws: '80', wss: '443', ftp: '21', gopher: '70' };

// Compiled once per glob: the lists are the policy's (and rule packs'), so the map stays small.
const compiled = new Map<string, PathTest>();
const COMPILED_LIMIT = 4096;

/**
 * Whole-string glob match of a host (lower-cased glob and text): `*` any run of characters
 * (dots included), `?` one character, `[…]` a set, `{a,b}` alternatives. A bracketed IPv6
 * address (`[::1]:3000`) is taken literally, not as a set.
 */
export function hostGlobMatch(glob: string, text: string): boolean {
  let test = compiled.get(glob);
  if (test === undefined) {
    const literalV6 = glob.replace(/^\[([0-9a-f:.]*:[0-9a-f:.]*)\]/i, '\\[$1\\]');
    try {
      test = globTest(literalV6);
    } catch {
      // An invalid glob is an error at load; one reaching here (a test's context) matches nothing.
      test = () => false;
    }
    if (compiled.size >= COMPILED_LIMIT) compiled.clear();
    compiled.set(glob, test);
  }
  return test(text);
}

/** The spellings of a host that list globs are compared with. */
export function hostSubjects(rawHost: string, port: string | undefined, scheme: string | undefined): string[] {
  const { name, addresses } = decodeHost(rawHost);
  if (name === '') return [];
  // An address padded with zeros past any DNS name's length is compared by its canonical form only.
  const names = [...new Set([...(name.length <= 260 ? [name] : []), ...addresses])];
  const withBrackets = names.map((n) => (n.includes(':') ? `[${n}]` : n));
  // A lenient reader may leave a fragment or junk after the port (`:3000#x`); parsers read its digits.
  const digits = /^[0-9]{1,5}/.exec(port ?? '')?.[0];
  const effectivePort = digits !== undefined ? String(Number(digits)) : scheme === undefined ? undefined : DEFAULT_PORTS[scheme];
  const subjects = [...names, ...withBrackets];
  if (effectivePort !== undefined) subjects.push(...withBrackets.map((n) => `${n}:${effectivePort}`));
  return [...new Set(subjects)];
}

/** True when any glob matches any subject. */
export function listMatches(globs: readonly string[], subjects: readonly string[]): boolean {
  return globs.some((glob) => {
    const g = glob.toLowerCase();
    return subjects.some((s) => hostGlobMatch(g, s));
  });
}
