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
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Frames from this size on count towards a collection; smaller ones die young and cheaply. */
export const LARGE_FRAME_FROM_BYTES = 256 * 1024;
/** A full collection after large frames of this many bytes in all. */
export const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;

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

/** Counts the bytes of large frames handled and collects once they add up (see the file comment). */
export class LargeFrameRelease {
  private bytes = 0;
  private scheduled = false;

  constructor(
    private readonly everyBytes = COLLECT_EVERY_BYTES,
    private readonly collect: () => Collect | null = v8FullCollection,
    private readonly later: (run: () => void) => void = (run) => void setImmediate(run),
  ) {}

  /** A frame of `size` bytes was decided on and its outputs written. */
  handled(size: number): void {
    if (size < LARGE_FRAME_FROM_BYTES) return;
    this.bytes += size;
    if (this.bytes < this.everyBytes || this.scheduled) return;
    this.scheduled = true;
    this.later(() => {
      this.scheduled = false;
      this.bytes = 0;
      this.collect()?.();
    });
  }
}
