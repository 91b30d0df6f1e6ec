/**
 * Globs turned into regular expressions that cannot backtrack (invariant 12: a policy's own
 * deny glob must not make a long path expensive). micromatch translates (so a glob means what
 * it means everywhere else in the policy); the lookarounds in its output only keep `*` off
 * `.`/`..` parts and empty names, which resolved paths never have, so they are dropped and
 * the rest runs on V8's linear-time engine against lower-cased text (globs match without
 * case). A glob whose translation still needs a lookaround (an extglob like `!(x)`) keeps
 * micromatch's own backtracking regex.
 */
import micromatch from 'micromatch';
import { compileLinear } from '../../../rules/linear-regex.js';

/** True when a path (a form from globForms, any case) matches. */
export type PathTest = (path: string) => boolean;

const OPTIONS: micromatch.Options = { dot: true };
const NO_OPS = ['(?!\\.{1,2}(?:\\/|$))', '(?!(?:^|\\/)\\.{1,2}(?:\\/|$))', '(?=.)'];

function linearSource(glob: string): string {
  let source = micromatch.makeRe(glob.toLowerCase(), { ...OPTIONS }).source;
  for (const noOp of NO_OPS) source = source.split(noOp).join('');
  return source;
}

function linear(source: string): PathTest | undefined {
  const compiled = compileLinear(source);
  if (!compiled.ok) return undefined;
  const { regex } = compiled;
  return (path) => {
    regex.lastIndex = 0;
    return regex.test(path.toLowerCase());
  };
}

/**
 * The shipped lists, as one backtracking pattern: faster than the linear engine, and safe
 * because every shipped glob has at most one `*` per part (tests hold the lists to that).
 */
export function shippedGlobTest(globs: readonly string[]): PathTest {
  if (globs.length === 0) return () => false;
  const sources = globs.map((glob) => `(?:${micromatch.makeRe(glob, { ...OPTIONS, nocase: true }).source})`);
  const regex = new RegExp(sources.join('|'), 'i');
  return (path) => regex.test(path);
}

/** A policy's glob (or several, as one pattern), on the linear engine where it can run. Throws on an invalid glob. */
export function globTest(globs: string | readonly string[]): PathTest {
  const list = typeof globs === 'string' ? [globs] : globs;
  if (list.length === 0) return () => false;
  const together = linear(list.map((glob) => `(?:${linearSource(glob)})`).join('|'));
  if (together) return together;
  const each = list.map((glob) => linear(linearSource(glob)) ?? micromatch.matcher(glob, { ...OPTIONS, nocase: true }));
  return (path) => each.some((test) => test(path));
}

/** A glob without a `/` matched against the file name alone, as a gitignore line is. */
export function basenameTest(glob: string): PathTest {
  const test = globTest(glob);
  return (path) => test(path.slice(path.lastIndexOf('/') + 1));
}
