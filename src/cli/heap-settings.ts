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
 * Measured and left out: V8's old-generation growth held at 1.2x (--heap-growing-percent=20)
 * took the pipelined peak from about 128 to 120 MB and a young generation of 8 MiB to about
 * 96 MB, at about 10 % and 30 % more CPU per pipelined call (bench/memory.mjs,
 * bench/ab-builds.mjs); neither moved the peak of a whole bench session, which the 8 MiB
 * results set.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setYoungGrowth, youngAtCap, youngGenerationBytes } from '../proxy/large-frames.js';

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
  new PerformanceObserver(look).observe({ entryTypes: ['gc'] });
}
