/**
 * V8 flags that let the shim's hot code reach the optimising compiler sooner.
 *
 * Every call of a session runs through the same few hundred functions (framer, strict parse,
 * engine, inspection, audit). V8's default thresholds suit code that may run only a few times:
 * at one call at a time (an agent waiting for each answer) Node 22 still ran much of it
 * unoptimised after 3000 calls. There, TurboFan after 500 invocations instead of 3000 costs
 * more compiling in a session's first calls (CPU summed over the first 1000: about +25 %, even
 * by about 2000) and saves 30-45 % of the CPU of every sequential call after that, with the
 * same peak RSS (bench/warmup-ab.mjs, bench/ab-builds.mjs, bench/memory.mjs, A/B in one run).
 * The flags change when code is optimised, never what it computes.
 *
 * The thresholds are named differently per V8 version, so the choice goes by V8's major
 * version, and only to versions where they were measured to pay: a V8 that does not know a flag
 * prints an error for it on stderr, and a threshold tuned for one tiering heuristic may hurt
 * another. Measured and left at V8's defaults: Node 20 (V8 11; a 16 or 32 KiB interrupt budget
 * also saved a quarter per call, but raised the peak RSS of 20000 pipelined calls by 6-16 MB)
 * and Node 24 (V8 13, with Maglev between the tiers: a lower TurboFan threshold cost more than
 * it saved over the first 6000 calls).
 */
import v8 from 'node:v8';

/** The V8 flags for the shim under the V8 of this version string (process.versions.v8); none when unmeasured. */
export function tieringFlags(v8Version: string): string[] {
  const major = Number.parseInt(v8Version, 10);
  // V8 12 (Node 22, Maglev off): TurboFan after 3000 invocations by default.
  if (major === 12) return ['--invocation-count-for-turbofan=500'];
  return [];
}

/** Set the tiering flags for this process's V8; called before the shim's code is compiled. */
export function applyTieringFlags(v8Version: string = process.versions.v8): void {
  for (const flag of tieringFlags(v8Version)) v8.setFlagsFromString(flag);
}
