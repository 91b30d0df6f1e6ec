/**
 * Patterns must be safe to run on any input (invariant 12). Each pattern is checked at
 * load against V8's linear-time engine (flag `l`), which refuses what it cannot run in
 * linear time: lookarounds, backreferences, the `i` and `u` flags, and counted repetition
 * above 16 (`*` and `+` are fine). The pattern then runs on V8's usual engine, which is far
 * faster on ordinary text, with V8 told to switch to the linear engine for any match that
 * backtracks excessively: fast in the common case, linear in the worst. Patterns are
 * matched against lower-cased text instead of using `i`.
 */
import v8 from 'node:v8';

let enabled = false;

/**
 * How many backtracks one match attempt may make before V8 reruns it on the linear engine.
 * V8's default (50 000) counts over every start position of a search, so an ordinary
 * pattern scanning 64 KiB of text reaches it and the whole scan runs on the linear engine,
 * which is 100 to 1000 times slower on ordinary text (a password rule over 1 MiB of prose:
 * 660 ms instead of 8). A million backtracks is a few milliseconds: the worst case stays
 * bounded, and ordinary text stays on the fast engine.
 */
export const BACKTRACKS_BEFORE_FALLBACK = 1_000_000;

/** Set V8's flags for the linear engine; they must be set before the first pattern is compiled, and setting them again is harmless. */
export function enableLinearEngine(): void {
  if (enabled) return;
  v8.setFlagsFromString('--enable-experimental-regexp-engine');
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  v8.setFlagsFromString(`--regexp-backtracks-before-fallback=${BACKTRACKS_BEFORE_FALLBACK}`);
  enabled = true;
}

export type LinearCompileResult = { ok: true; regex: RegExp } | { ok: false; message: string };

/** Check a pattern against the linear engine and compile it, global so every match can be visited. */
export function compileLinear(source: string): LinearCompileResult {
  enableLinearEngine();
  try {
    // Only a check: a pattern the linear engine accepts is one V8 can fall back to.
    void new RegExp(source, 'l');
    return { ok: true, regex: new RegExp(source, 'g') };
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
    const hint = /linear time/.test(detail)
      ? ' (the linear-time engine does not run lookarounds, backreferences, flags, or counted repetition above {16}; write the pattern in lower case, as text is lower-cased before matching)'
      : '';
    return { ok: false, message: `pattern cannot be used: ${detail}${hint}` };
  }
}
