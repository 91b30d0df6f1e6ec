/**
 * V8's old generation, sized for a proxy that runs for hours rather than for a batch job.
 *
 * After each full collection V8 lets the old generation grow to a multiple of what survived
 * it (up to 4x when the program allocates fast) before the next one. The shim's live heap is
 * small and steady (the compiled policy and rule packs, a few hundred bytes per call in
 * flight), but pipelined calls promote short-lived objects at a high rate, so its peak was
 * mostly garbage waiting for a collection the growth factor put off. Held at 1.2x, with the
 * young generation held at 8 MiB (src/proxy/large-frames.ts), the peak of 5,000 pipelined
 * calls in flight fell by about 40 MB at about the same CPU per call (bench/memory.mjs,
 * bench/ab-builds.mjs). V8 reads the flag at each full collection, so setting it once the
 * policy is loaded is enough.
 */
import { setFlagsFromString } from 'node:v8';

/** The old generation may grow this many per cent over what survived the last full collection. */
export const HEAP_GROWING_PERCENT = 20;

/** Hold the old generation's growth between full collections (see the file comment). */
export function holdHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
