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
 * One of those copies outlived the frame: V8 keeps the subject of the last successful regex
 * match for RegExp.input and RegExp.lastMatch, so the frame's text (8 MiB for an 8 MiB frame)
 * stayed reachable, through every collection, until a regex next matched elsewhere; with
 * large frames in a row, each one's decision began with the last one's text still in memory.
 * After a large frame, one match on an empty string takes its place.
 *
 * The young generation grows too: V8 doubles it, up to 2 x 16 MiB, as objects survive its
 * collections, which they do in any long session (the bare relay allocates too little to
 * grow it). It is held at YOUNG_CAP_BYTES: every LOOK_EVERY_BYTES of frames of any size (one
 * read of the heap's statistics; every GROWING_LOOK_EVERY_BYTES while it may grow), and after every collection (src/cli/heap-settings.ts), V8's
 * growth factor (which V8 reads at each growth) is set to 1 where one more doubling would pass
 * the cap and back to 2 below that, and only while GROW_YOUNG_FROM_CALLS calls or more are in
 * flight: their requests and pending entries are what survives the young collections of a
 * busy session, and what a larger young generation saves copying. Anything else that survives
 * them (the rule indexes and tables built on a session's first calls or by the warm-up, which
 * live as long as the session) doubled it from 8 to 16 MiB within a second of the first
 * answer, though sequential calls need no more than it had; held, they go to the old
 * generation, where they belong. At 32 MiB and then 16 MiB it cost no CPU per pipelined call
 * (bench/ab-builds.mjs); 8 MiB then took the pipelined peak from about 118 to 96 MB but cost
 * about 30 % more CPU per pipelined call, while each young collection copied some 280 KB of
 * calls in flight. Once that was about 55 KB (frames encoded as written, compact pending
 * entries, frames handed on as found), 8 MiB cost nothing measurable (11.8 vs 11.9 µs per
 * pipelined call, 86k vs 88k calls/s, interleaved) and took the bench's peak RSS of the tree
 * from +132 to +118 MB (4 MiB: 12.3 µs, +114 MB).
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Frames from this size on count towards a collection; smaller ones die young and cheaply. */
export const LARGE_FRAME_FROM_BYTES = 256 * 1024;
/** A full collection after large frames of this many bytes in all. */
export const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;
/** The heap is looked at after frames of this many bytes in all, of any size (a few hundred small calls). */
export const LOOK_EVERY_BYTES = 64 * 1024;
/**
 * While the young generation may grow, it is looked at after frames of this many bytes (a few
 * dozen small calls). A doubling to the cap must be seen before the collection after it, which
 * comes only once the doubled semi-space (2 MiB or more) has been allocated anew: small calls
 * allocate some 30 bytes per byte of their frames, so about 120 KB between two looks. (A look
 * at every frame read the heap's statistics hundreds of times per collection, about 380 ns
 * and 1 KB each.)
 */
export const GROWING_LOOK_EVERY_BYTES = 4 * 1024;
/** The young generation (both semi-spaces) is not grown past this. */
export const YOUNG_CAP_BYTES = 8 * 1024 * 1024;
/** The young generation may grow only while at least this many calls are in flight. */
export const GROW_YOUNG_FROM_CALLS = 64;

/** Bytes the young generation holds (both semi-spaces). */
export function youngGenerationBytes(): number {
  for (const space of getHeapSpaceStatistics()) if (space.space_name === 'new_space') return space.space_size;
  return 0;
}

/** True when one more doubling (V8 grows the young generation by doubling) would pass YOUNG_CAP_BYTES. */
export function youngAtCap(youngBytes: number): boolean {
  return youngBytes * 2 > YOUNG_CAP_BYTES;
}

/**
 * The growth factor for the young generation: it may grow only while doubling stays within
 * YOUNG_CAP_BYTES, and only with GROW_YOUNG_FROM_CALLS calls or more in flight (see the file comment).
 */
export function youngGrowthFor(youngBytes: number, inFlight: number): 1 | 2 {
  return inFlight < GROW_YOUNG_FROM_CALLS || youngAtCap(youngBytes) ? 1 : 2;
}

/** V8's factor for growing the young generation: 2 (its default) lets it grow, 1 holds it. */
export function setYoungGrowth(factor: 1 | 2): void {
  setFlagsFromString(`--semi-space-growth-factor=${factor}`);
}

// Matches the empty string: the last match V8 remembers is then of '' (see the file comment).
const EMPTY_MATCH = /(?:)/;

/** Let go of the text V8 keeps from the last regex match (RegExp.input), whatever it was. */
export function forgetLastMatch(): void {
  EMPTY_MATCH.exec('');
}

type Collect = () => void;
// V8's `gc`: a full collection when called bare, a young one when given { type: 'minor' }.
type Gc = (options?: { type: 'minor' }) => void;
let v8Gc: Gc | null | undefined;

// V8's own collections, through a context that has `gc` (the shim's global never gets it).
// Found on the first large frame only: a session without one never loads it.
function v8Collections(): Gc | null {
  if (v8Gc !== undefined) return v8Gc;
  try {
    setFlagsFromString('--expose-gc');
    v8Gc = runInNewContext('typeof gc === "function" ? gc : null') as Gc | null;
  } catch {
    v8Gc = null;
  }
  return v8Gc;
}

function v8FullCollection(): Collect | null {
  return v8Collections();
}

/** V8's young-generation collection (a scavenge), where it can be had. */
export function youngCollection(): void {
  v8Collections()?.({ type: 'minor' });
}

/**
 * A young collection after every this many bytes of input chunks let go of: the chunks of a
 * long line, copied to its store as they come (src/protocol/framer.ts), are then freed while
 * the line is still arriving, and the next chunks reuse their memory (an 8 MiB line holds about
 * this much of its chunks at a time instead of all of them). A scavenge then finds little alive
 * (0.1-0.4 ms on a quiet machine); at 1 MiB, twice as many of them bought 1 MiB less, within
 * the noise of bench/memory.mjs and bench/ab-builds.mjs.
 */
export const COLLECT_YOUNG_EVERY_BYTES = 2 * 1024 * 1024;

/** Counts the bytes of input chunks let go of, and has the young generation collected as they add up. */
export class LetGoRelease {
  private bytes = 0;

  constructor(
    private readonly everyBytes = COLLECT_YOUNG_EVERY_BYTES,
    private readonly collect: () => void = youngCollection,
  ) {}

  /** `bytes` more of input chunks are no longer held by the framer. */
  letGo(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes < this.everyBytes) return;
    this.bytes = 0;
    this.collect();
  }
}

/** Counts the bytes of frames handled: collects when large ones add up, and holds the young generation (see the file comment). */
export class LargeFrameRelease {
  private bytes = 0;
  private sinceLook = 0;
  private scheduled = false;
  // What this last set (none yet: the first look sets it, whatever V8 or heap-settings.ts had).
  private youngGrowth: 1 | 2 | undefined = undefined;

  constructor(
    private readonly everyBytes = COLLECT_EVERY_BYTES,
    private readonly collect: () => Collect | null = v8FullCollection,
    private readonly later: (run: () => void) => void = (run) => void setImmediate(run),
    private readonly young: () => number = youngGenerationBytes,
    private readonly growYoung: (factor: 1 | 2) => void = setYoungGrowth,
    private readonly lookEveryBytes = LOOK_EVERY_BYTES,
    private readonly growingLookEveryBytes = GROWING_LOOK_EVERY_BYTES,
  ) {}

  /** A frame of `size` bytes was decided on and its outputs written; `inFlight` calls wait for answers. */
  handled(size: number, inFlight = 0): void {
    this.sinceLook += size;
    if (size >= LARGE_FRAME_FROM_BYTES) {
      this.bytes += size;
      forgetLastMatch();
    }
    if (!this.scheduled && this.bytes >= this.everyBytes) this.schedule();
    // While it may grow, it is looked at far more often (GROWING_LOOK_EVERY_BYTES): under calls
    // in flight, collections come several to 64 KiB of frames, and a doubling to the cap must
    // be held before the next one doubles it again (the look after each collection, in
    // heap-settings.ts, comes a turn too late). The first frame is a look, and so is the first
    // with fewer calls in flight than let it grow: it is held again at once.
    if (this.youngGrowth === 1) {
      if (this.sinceLook < this.lookEveryBytes) return;
    } else if (this.youngGrowth === 2) {
      if (this.sinceLook < this.growingLookEveryBytes && inFlight >= GROW_YOUNG_FROM_CALLS) return;
    }
    this.sinceLook = 0;
    const growth = youngGrowthFor(this.young(), inFlight);
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
