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

/**
 * V8's flag that has a pattern compiled straight to machine code on its first run. By default
 * V8 first compiles a pattern to bytecode and interprets it, then compiles it again to machine
 * code on its second run: two compilations of every pattern that runs twice, which all of the
 * rules' patterns do, and the first runs interpreted. The rule patterns are long alternations
 * (`\s{1,4}` between words, unrolled by V8), so this is most of what a first scan costs: the
 * definitions of server-filesystem's tools/list, scanned cold in one process, 202–267 → 95–129 ms
 * wall and 280–348 → 157–196 ms CPU (Node 20, six runs each; Node 22 205–249 → 111–167 ms, Node
 * 24 185–248 → 86–89 ms), and in the shim the tools/list answer came 260 → 142 ms after the
 * initialize answer (median of 12 starts). Once every pattern has run the code is the same: a
 * warm scan of that list takes as long either way (about 3.9 ms on Node 20, 3.7 on Node 24).
 * Only how a pattern is compiled changes, never what it matches.
 *
 * It sets a pattern's count of runs before it is compiled (ticks) to none, read when a
 * pattern is first made: those made before keep theirs and go on as V8 planned; V8 itself
 * marks a pattern so when its first run is on a long text. Not `--no-regexp-tier-up`, which
 * would do the same for new patterns: set while the process runs (as it must be here, by
 * the code, not on node's command line), it crashed V8. A test worker died in
 * test/inspect/network/addresses.test.ts every time, and one cold scan in 31 ended in a
 * segmentation fault; given from the process's start it did not. (test/rules/
 * linear-regex-compile.test.ts reads what V8 holds for a pattern after its first run.)
 */
export const REGEXP_FLAG_COMPILE_AT_ONCE = '--regexp-tier-up-ticks=0';

/** Set V8's flags for the linear engine; they must be set before the first pattern is compiled, and setting them again is harmless. */
export function enableLinearEngine(): void {
  if (enabled) return;
  v8.setFlagsFromString('--enable-experimental-regexp-engine');
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  v8.setFlagsFromString(`--regexp-backtracks-before-fallback=${BACKTRACKS_BEFORE_FALLBACK}`);
  // (With the others: the start loader sets them all before the start bundle is compiled, as
  // V8 keeps its flags' hash with the compiled code it caches; see cli/start-loader.ts.)
  v8.setFlagsFromString(REGEXP_FLAG_COMPILE_AT_ONCE);
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
