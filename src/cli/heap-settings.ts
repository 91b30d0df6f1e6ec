/**
 * V8's young generation held at its cap for the whole session.
 *
 * The proxy looks at the young generation every 64 KiB of frames (src/proxy/large-frames.ts),
 * but the warm-up and the first calls doubled it from 4 to 16 and then 32 MiB before its first
 * look, and V8 does not give it back. V8 grows it only at a collection, so one look at the start
 * and one after each collection hold it: it may double only while the doubled size stays
 * within YOUNG_CAP_BYTES. On Node 24 V8 also grows a large young generation a page at a time,
 * which the growth factor does not stop: held, it reached 18-29 MiB in a test that takes it to
 * 128 MiB unheld (test/cli/heap-settings.test.ts), so there the cap is a brake, not a bound.
 *
 * It grows only while many calls are in flight (GROW_YOUNG_FROM_CALLS, at the proxy's looks):
 * until then, from the start on, it is held where it is. The look after each collection only
 * holds: had it let the young generation grow as well, the proxy, which looks at every frame
 * while it may grow, would not have known, and two collections between its looks under
 * pipelined calls took it to 32 MiB.
 *
 * The cap is 8 MiB since calls in flight leave little to copy (src/proxy/large-frames.ts has
 * what was measured at 16 and 8 MiB, before and after).
 *
 * The old generation is held too (holdOldGeneration): after each full collection V8 lets it
 * grow to a multiple of what survived before the next one, up to 4x on a machine with memory
 * to spare. Under pipelined calls almost all it grows by is garbage: every call in flight
 * outlives two young collections (its pending entries, the tables of the maps that hold
 * them), so it is promoted, then dies there. With about 12 MB surviving, the old generation
 * went to 47 MB before its third full collection of a 100 000-call run.
 */
import { setFlagsFromString } from 'node:v8';
import { setYoungGrowth, youngAtCap, youngGenerationBytes } from '../proxy/large-frames.js';

/**
 * The old generation may grow to this many percent more than survived the last full
 * collection before the next one (V8's own factor, up to 300 %, is otherwise chosen from
 * its collection and allocation speeds). 100 took the shim's peak under 100 000 pipelined
 * calls from about 138 to 111 MB at about 2 % more CPU over the run (3195 vs 3255 ms, median
 * of 6, interleaved; 200: 125 MB, 1 % more); 50 to 107 MB at about 7 % more; 20 to about
 * 120 MB at about 10 % more (bench/memory.mjs style runs).
 */
export const OLD_GROWTH_PERCENT = 100;

/** Hold the old generation's growth between full collections at OLD_GROWTH_PERCENT (see the file comment); V8 reads it at each one. */
export function holdOldGeneration(): void {
  setFlagsFromString(`--heap-growing-percent=${OLD_GROWTH_PERCENT}`);
}

/**
 * Hold the young generation where it is from now on, and at its cap after any collection that
 * took it there (see the file comment). Only the proxy lets it grow, while it sees calls in
 * flight (LargeFrameRelease); this look, a turn after each collection, only ever holds it.
 */
export function holdYoungGeneration(): void {
  setYoungGrowth(1);
  const look = (): void => {
    if (youngAtCap(youngGenerationBytes())) setYoungGrowth(1);
  };
  // The global class (node:perf_hooks is not imported: the start loader loads this file too).
  new PerformanceObserver(look).observe({ entryTypes: ['gc'] });
}

/**
 * The heap's flags as the session holds them (young generation held, old generation's growth
 * held), set by the start loader before the start bundle is compiled. V8 keeps a hash of its
 * flags with compiled code and refuses code cached under other flags; the bundle's entry is
 * written once the start is under way, when start.ts has set these, so unless they are set
 * before the bundle is compiled too, every start's entry is refused, the bundle is compiled
 * afresh (20-25 ms before the server is spawned) and the entry written again. start.ts sets
 * them again (the same values: the hash stays).
 */
export function setHeapFlagsAtStart(): void {
  setYoungGrowth(1);
  holdOldGeneration();
}
