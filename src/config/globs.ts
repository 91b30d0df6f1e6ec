/**
 * Glob options and checks, shared by the loader (to validate) and the
 * compiler (to match), so both agree on what a glob means.
 */
import micromatch from 'micromatch';

/**
 * Tool-name globs: whole-name, case-sensitive. `dot` so `*` also matches
 * names starting with "."; `noextglob` so parentheses are plain characters
 * (no `@(a|b)` surprises); `strictBrackets` so an unclosed `[`, `{` or `(`
 * is an error instead of silently becoming a literal.
 */
export const TOOL_GLOB_OPTIONS: Readonly<micromatch.Options> = Object.freeze({
  dot: true,
  nonegate: true,
  noextglob: true,
  strictBrackets: true,
});

/** Argument key-name globs (audit.redactKeys): as tool globs, but case-insensitive. */
export const KEY_GLOB_OPTIONS: Readonly<micromatch.Options> = Object.freeze({ ...TOOL_GLOB_OPTIONS, nocase: true });

/** A compiled glob: true when the whole name matches. */
export type Matcher = (name: string) => boolean;

/** Compile a glob once. Throws on an invalid glob; validate with globProblem first. */
export function compileGlob(glob: string, options: Readonly<micromatch.Options> = TOOL_GLOB_OPTIONS): Matcher {
  return micromatch.matcher(glob, { ...options });
}

/**
 * Why a glob cannot be used, or undefined when it is fine. `instead` completes
 * the advice for a leading "!" (negation is not supported: the list it is in
 * would otherwise mean two things).
 */
export function globProblem(glob: string, instead: string, options = TOOL_GLOB_OPTIONS): string | undefined {
  if (glob === '') return 'an empty glob matches nothing';
  if (glob.startsWith('!')) return `glob "${glob}" starts with "!": negation is not supported; ${instead}`;
  try {
    compileGlob(glob, options);
    return undefined;
  } catch (err) {
    return `invalid glob "${glob}": ${bracketProblem((err as Error).message)}`;
  }
}

// picomatch names the missing character; say it in our words, with the escape that works in YAML.
function bracketProblem(message: string): string {
  const m = /Missing (opening|closing): "(.)"/.exec(message);
  if (m === null) return message;
  const [, side, ch] = m as unknown as [string, string, string];
  const stray = side === 'closing' ? (OPENER[ch] ?? ch) : (CLOSER[ch] ?? ch);
  const what = side === 'closing' ? `"${stray}" is never closed` : `"${stray}" has no matching "${ch}"`;
  return `${what} (for a literal "${stray}", write '\\${stray}' in single quotes)`;
}

// Keyed by what picomatch reports missing: the closer for an unclosed opener, and the opener for a stray closer.
const OPENER: Record<string, string> = { ']': '[', '}': '{', ')': '(' };
const CLOSER: Record<string, string> = { '[': ']', '{': '}', '(': ')' };

/** True when the string has no glob syntax, i.e. it names exactly one tool. */
export function isLiteral(glob: string): boolean {
  return !/[*?[\]{}()!\\]/.test(glob);
}
