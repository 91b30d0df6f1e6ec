/**
 * Patterns run on V8's linear-time regular expression engine (the `l` flag), so no
 * pattern, shipped or user-written, can backtrack catastrophically on any input
 * (invariant 12). The engine refuses what it cannot run in linear time: lookarounds,
 * backreferences, and the `i` and `u` flags; patterns are matched against lower-cased
 * text instead of using `i`.
 */
import v8 from 'node:v8';

let enabled = false;

// The flag must be set before the first `l` pattern is compiled; setting it twice is harmless.
function enableLinearEngine(): void {
  if (enabled) return;
  v8.setFlagsFromString('--enable-experimental-regexp-engine');
  enabled = true;
}

export type LinearCompileResult = { ok: true; regex: RegExp } | { ok: false; message: string };

/** Compile a pattern for the linear engine, global so every match can be visited. */
export function compileLinear(source: string): LinearCompileResult {
  enableLinearEngine();
  try {
    return { ok: true, regex: new RegExp(source, 'lg') };
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
    const hint = /linear time/.test(detail)
      ? ' (the linear-time engine does not run lookarounds, backreferences or flags; write the pattern in lower case, as text is lower-cased before matching)'
      : '';
    return { ok: false, message: `pattern cannot be used: ${detail}${hint}` };
  }
}
