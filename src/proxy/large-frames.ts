/**
 * The memory large frames leave behind, handed back before the next ones arrive.
 *
 * A frame of several MiB costs a few copies of itself while it is decided on (its chunks, the
 * joined bytes, the decoded text, the parsed strings, the scan's working copies), all garbage
 * once its outputs are written. V8 frees such large objects only in a full collection, and
 * starts one on its own only after the heap has grown well past them, so a session with a few
 * 8 MiB results in a row peaked at several times what one of them needs. After large frames
 * totalling `everyBytes` (counted in bytes, never on the clock), one full collection is run
 * once the frame's outputs have been written out (`later`: the proxy waits for its writers,
 * which hold a forwarded frame's bytes until then).
 *
 * The young generation grows too: V8 doubles it, up to 2 x 16 MiB, as objects survive its
 * collections, which they do in any long session (the bare relay allocates too little to
 * grow it). It is held at YOUNG_CAP_BYTES: every LOOK_EVERY_BYTES of frames of any size (one
 * read of the heap's statistics), V8's growth factor (which V8 reads at each growth) is set to
 * 1 at the cap and back to 2 below it. At a quarter of V8's most (8 MiB), with the old
 * generation's growth held too (src/cli/heap-settings.ts), the peak of 5,000 pipelined calls
 * in flight fell from about 136 to 96 MB (bench/memory.mjs; the growth alone: 120), at 0-6 %
 * more CPU per pipelined call in two runs of bench/ab-builds.mjs, within their noise.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Frames from this size on count towards a collection; smaller ones die young and cheaply. */
export const LARGE_FRAME_FROM_BYTES = 256 * 1024;
/** A full collection after large frames of this many bytes in all. */
export const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;
/** The heap is looked at after frames of this many bytes in all, of any size (a few hundred small calls). */
export const LOOK_EVERY_BYTES = 64 * 1024;
/** The young generation (both semi-spaces) is not grown past this. */
export const YOUNG_CAP_BYTES = 8 * 1024 * 1024;

/** Bytes the young generation holds (both semi-spaces). */
export function youngGenerationBytes(): number {
  for (const space of getHeapSpaceStatistics()) if (space.space_name === 'new_space') return space.space_size;
  return 0;
}

/** V8's factor for growing the young generation: 2 (its default) lets it grow, 1 holds it. */
export function setYoungGrowth(factor: 1 | 2): void {
  setFlagsFromString(`--semi-space-growth-factor=${factor}`);
}

type Collect = () => void;
let fullCollection: Collect | null | undefined;

// V8's own full collection, through a context that has `gc` (the shim's global never gets it).
// Found on the first large frame only: a session without one never loads it.
function v8FullCollection(): Collect | null {
  if (fullCollection !== undefined) return fullCollection;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('typeof gc === "function" ? gc : null') as Collect | null;
    fullCollection = gc;
  } catch {
    fullCollection = null;
  }
  return fullCollection;
}

/** Counts the bytes of frames handled: collects when large ones add up, and holds the young generation (see the file comment). */
export class LargeFrameRelease {
  private bytes = 0;
  private sinceLook = 0;
  private scheduled = false;
  private youngGrowth: 1 | 2 = 2;

  constructor(
    private readonly everyBytes = COLLECT_EVERY_BYTES,
    private readonly collect: () => Collect | null = v8FullCollection,
    private readonly later: (run: () => void) => void = (run) => void setImmediate(run),
    private readonly young: () => number = youngGenerationBytes,
    private readonly growYoung: (factor: 1 | 2) => void = setYoungGrowth,
    private readonly lookEveryBytes = LOOK_EVERY_BYTES,
  ) {}

  /** A frame of `size` bytes was decided on and its outputs written. */
  handled(size: number): void {
    this.sinceLook += size;
    if (size >= LARGE_FRAME_FROM_BYTES) this.bytes += size;
    if (!this.scheduled && this.bytes >= this.everyBytes) this.schedule();
    if (this.sinceLook < this.lookEveryBytes) return;
    this.sinceLook = 0;
    const growth: 1 | 2 = this.young() >= YOUNG_CAP_BYTES ? 1 : 2;
    if (growth !== this.youngGrowth) {
      this.youngGrowth = growth;
      this.growYoung(growth);
    }
  }

  private schedule(): void {
    this.scheduled = true;
    this.later(() => {
      this.scheduled = false;
      this.bytes = 0;
      this.collect()?.();
    });
  }
}
