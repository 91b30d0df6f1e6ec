/**
 * Newline-delimited JSON framing, with no I/O (DESIGN.md invariant 3).
 *
 * Bytes go in as they arrive from a pipe; complete lines come out. The framer never
 * rescans bytes it already holds and copies a line's bytes once, so an 8 MiB line in 64 KiB
 * chunks costs one copy, not 128.
 *
 * A short line's chunks are held as they came and joined when it completes. A long one's
 * (from STORE_FROM_BYTES on) are copied, as they come, into one store that grows in place
 * (a resizable ArrayBuffer: no copy as it grows, and only what is written takes memory),
 * and let go of: a pipe's chunks are buffers of their own, freed only by a collection, so
 * held until the line completes they were a second copy of it, alive beside the line and
 * the text decoded from it. Let go, the reader may have them collected while the line is
 * still coming (`takeLetGo`, src/proxy/frame-reader.ts), and the next chunks reuse their memory.
 *
 * A store's pages are the operating system's until first written, and each first write of a
 * page is a fault: 8 MiB copied into a fresh store took 5-6 ms, against 0.2 ms into memory
 * written before and 0.6-0.9 ms into a malloc'd buffer (one process, 30 rounds each). That is
 * paid while the line arrives, and sets the pace the server's output moves at; and each new
 * store was external memory that drew V8 into collections of its own in the middle of the
 * next decision. So a store whose line nobody holds any more is taken back (`takeLent`, then
 * `giveBack` once the owner knows: the proxy, when its writers have handed that line's bytes
 * to the OS) and the next long line is copied into it. A store taken back is kept only while
 * long lines come close together: once SPARE_KEPT_FOR_BYTES of shorter lines completed after
 * it, its pages go back to the system (a resize to nothing) and it is dropped; and a store
 * used again for a shorter line than its last gives back the pages that line does not need.
 * So a reader keeps at most one store beside the line it is reading, no larger than the last
 * long line it read (until shorter lines come; an idle session keeps it).
 */

import { Buffer, isAscii } from 'node:buffer';
import { asciiFrame } from './ascii-frame.js';

/** One event from the framer, in input order. */
export type FrameEvent =
  /**
   * One line, without its "\n" and without a single trailing "\r". `text`, given only to a
   * sink that {@link FrameSink.reusesEvents}, is the line's text when the framer read it on the
   * way: a line wholly inside one chunk of ASCII bytes, whose text is the same to every
   * decoder (UTF-8, strict or lenient, and latin1) and is read here in one move; otherwise
   * undefined, and the bytes are decoded by whoever reads them.
   */
  | { kind: 'frame'; bytes: Buffer; text?: string | undefined }
  /**
   * A line longer than `maxFrameBytes`, discarded. `size` is its length in bytes (as a
   * frame would count it: no "\n", no trailing "\r"); `head` and `tail` are its first and
   * last 1 KiB (copies), kept so the caller can try to recover a JSON-RPC id.
   */
  | { kind: 'oversize'; size: number; head: Buffer; tail: Buffer };

/** Where {@link LineFramer.pushEach} hands events: an array, or anything with a `push`. */
export interface FrameSink {
  push(event: FrameEvent): unknown;
  /**
   * True when the sink is done with each event once `push` returns (it keeps neither the
   * event nor a reference to it): a frame's event is then one object of the framer's, reused
   * for every line (the usual line makes no event object). An array, which keeps them, gets
   * new ones.
   */
  readonly reusesEvents?: boolean;
}

/** Options for {@link LineFramer}. */
export interface LineFramerOptions {
  /** Longest line, in bytes (excluding "\n" and a trailing "\r"), emitted as a frame. */
  maxFrameBytes: number;
}

/** How much of an oversize line is kept at each end. */
export const OVERSIZE_KEEP_BYTES = 1024;

/** From this many bytes held for one line, its bytes go to a store of their own (see the file comment). */
export const STORE_FROM_BYTES = 1024 * 1024;
/** A store grows by whole steps of this many bytes (one resize each). */
const STORE_STEP_BYTES = 1024 * 1024;
/** A store taken back is given up once this many bytes of shorter lines completed after it (see the file comment). */
export const SPARE_KEPT_FOR_BYTES = 64 * 1024;

/** A store handed out with a line (see {@link LineFramer.takeLent}); opaque to everyone else. */
export interface LentStore {
  readonly lent: true;
}

const LF = 0x0a;
const CR = 0x0d;
const NO_BYTES = Buffer.alloc(0);
/** Chunks up to this size are looked at once for being ASCII, for their lines' text (FrameEvent). */
const TEXT_CHUNK_MAX_BYTES = 256 * 1024;

/**
 * Splits a byte stream into lines.
 *
 * Frames may share memory with the pushed chunks (a line wholly inside one chunk is a
 * `subarray`), and chunks are held by reference until their line completes: callers must
 * not reuse or mutate a buffer after pushing it. Node's stream chunks satisfy this.
 */
export class LineFramer {
  readonly #max: number;
  /** Chunks (or chunk tails) of the current, incomplete line. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Set once the current line is known to be oversize; its bytes are no longer held. */
  #oversize: { size: number; head: Buffer; tail: Buffer } | null = null;
  /** The current line's bytes once it is long (#pending is then empty; #pendingBytes counts them). */
  #store: LineStore | null = null;
  /** Bytes of chunks copied to a store and let go of since takeLetGo was last called. */
  #letGo = 0;
  /** Set once a store could not be made: long lines are then held as chunks, as short ones are. */
  #noStore = false;
  /** The store of the last long line handed out, until takeLent. */
  #lent: LineStore | null = null;
  /** A store given back (nobody holds its bytes), for the next long line; and the bytes of shorter lines since. */
  #spare: LineStore | null = null;
  #sinceSpare = 0;
  /** The frame event handed to a sink that {@link FrameSink.reusesEvents}; its bytes are let go of once handled. */
  readonly #reused: { kind: 'frame'; bytes: Buffer; text: string | undefined } = { kind: 'frame', bytes: NO_BYTES, text: undefined };

  constructor(options: LineFramerOptions) {
    const max = options.maxFrameBytes;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new RangeError(`maxFrameBytes must be a positive integer, got ${String(max)}`);
    }
    this.#max = max;
  }

  /** Bytes currently held for an incomplete line (for an oversize line: only its kept head and tail). */
  get buffered(): number {
    const o = this.#oversize;
    return o === null ? this.#pendingBytes : o.head.length + o.tail.length;
  }

  /**
   * Bytes of pushed chunks copied into a long line's store, and no longer referenced here,
   * since the last call: what a collection could now free (see the file comment).
   */
  takeLetGo(): number {
    const bytes = this.#letGo;
    this.#letGo = 0;
    return bytes;
  }

  /**
   * The store the last long line's bytes were a view of, if one was handed out since the last
   * call: the caller gives it back (giveBack) once nothing holds those bytes any more. Until
   * then it is never written to again; one not given back is left to the collector.
   */
  takeLent(): LentStore | undefined {
    const lent = this.#lent;
    this.#lent = null;
    return lent === null ? undefined : new Lent(lent, lent.lends);
  }

  /**
   * `lent` (from takeLent) is no longer held by anyone: the next long line may be written into
   * its store. Its bytes, and every view of them handed out, are then overwritten. Anything
   * else is ignored: a token this framer did not make, or one whose store has been handed out
   * with a later line since (given back twice).
   */
  giveBack(lent: LentStore): void {
    if (!(lent instanceof Lent)) return;
    const store = lent.store;
    if (store.lends !== lent.lends || store === this.#store || store === this.#spare || store === this.#lent) return;
    this.#spare?.release();
    store.clear();
    this.#spare = store;
    this.#sinceSpare = 0;
  }

  /** Feeds one chunk; returns an event for every line this chunk completes, in order. */
  push(chunk: Buffer): FrameEvent[] {
    const events: FrameEvent[] = [];
    this.pushEach(chunk, events);
    return events;
  }

  /**
   * Feeds one chunk, handing `sink` each event as its line is found, in order, rather than
   * gathering them: a chunk's events (hundreds of small frames) are then let go of one by
   * one, not all held until the last is handled. The chunk is read to its end before this
   * returns, whatever the sink does, so what is held for the next line is right; a sink
   * should not throw.
   */
  pushEach(chunk: Buffer, sink: FrameSink): void {
    let start = 0;
    // Only the new chunk is scanned: held bytes are known to contain no "\n".
    let nl = chunk.indexOf(LF, start);
    // A chunk of ASCII bytes (the usual one) is read as text line by line on the way: see FrameEvent.
    const ascii = nl !== -1 && sink.reusesEvents === true && LATIN1_SLICE && chunk.length <= TEXT_CHUNK_MAX_BYTES && isAscii(chunk) ? (chunk as Buffer & Latin1Slicing) : undefined;
    const memory = chunk.buffer;
    const offset = chunk.byteOffset;
    while (nl !== -1) {
      // (chunk.subarray(start, nl), made the shorter way: subarray looks up what to make on every call.)
      this.#completeLine(Buffer.from(memory, offset + start, nl - start), sink, ascii, start);
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) this.#hold(start === 0 ? chunk : chunk.subarray(start));
  }

  /** Signals end of input: a final line without "\n" is emitted like any other line. */
  end(): FrameEvent[] {
    const events: FrameEvent[] = [];
    if (this.#oversize !== null || this.#pendingBytes > 0) {
      this.#completeLine(Buffer.alloc(0), events);
    }
    return events;
  }

  /** Holds the unterminated rest of a chunk, switching to oversize mode once over the limit. */
  #hold(piece: Buffer): void {
    if (this.#oversize !== null) {
      this.#appendOversize(piece);
      return;
    }
    this.#pendingBytes += piece.length;
    // One byte of slack: a trailing "\r" does not count towards a frame's size, and we
    // cannot know yet whether the last held byte is that "\r".
    if (this.#pendingBytes > this.#max + 1) {
      this.#toOversize();
      this.#appendOversize(piece);
      return;
    }
    if (this.#store !== null) {
      this.#store.append(piece);
      this.#letGo += piece.length;
      return;
    }
    this.#pending.push(piece);
    if (this.#pendingBytes >= STORE_FROM_BYTES && !this.#noStore) this.#toStore();
  }

  /** The held chunks go to a store of their own, and are let go of (see the file comment). */
  #toStore(): void {
    const spare = this.#spare;
    this.#spare = null;
    const store = spare ?? LineStore.make(this.#max + 1);
    // Where the memory cannot be reserved, the chunks are held as they are.
    if (store === null) {
      this.#noStore = true;
      return;
    }
    for (const p of this.#pending) store.append(p);
    this.#letGo += this.#pendingBytes;
    this.#pending = [];
    this.#store = store;
  }

  /** The current line is over the limit: what is held of it is counted, and let go of. */
  #toOversize(): void {
    const held = this.#store !== null ? [this.#store.bytes()] : this.#pending;
    this.#pending = [];
    this.#store = null;
    this.#pendingBytes = 0;
    this.#oversize = { size: 0, head: Buffer.alloc(0), tail: Buffer.alloc(0) };
    for (const p of held) this.#appendOversize(p);
  }

  /** Counts an oversize line's bytes, keeping copies of only its first and last 1 KiB. */
  #appendOversize(piece: Buffer): void {
    const o = this.#oversize!;
    if (o.head.length < OVERSIZE_KEEP_BYTES) {
      const take = piece.subarray(0, OVERSIZE_KEEP_BYTES - o.head.length);
      o.head = Buffer.concat([o.head, take]);
    }
    o.size += piece.length;
    // One extra byte so that, if the line ends in "\r", a full 1 KiB remains once it is dropped.
    const keep = OVERSIZE_KEEP_BYTES + 1;
    if (piece.length >= keep) {
      o.tail = Buffer.from(piece.subarray(piece.length - keep));
    } else if (piece.length > 0) {
      const joined = Buffer.concat([o.tail, piece]);
      o.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - keep)));
    }
  }

  /**
   * Finishes the current line with `last` (the bytes before its "\n") and emits its event.
   * `ascii`: the chunk `last` is a view of from `at` on, when it is all ASCII (see pushEach).
   */
  #completeLine(last: Buffer, events: FrameSink, ascii?: Buffer & Latin1Slicing, at = 0): void {
    if (this.#oversize !== null) {
      this.#appendOversize(last);
      events.push(this.#takeOversize());
      return;
    }
    let line: Buffer;
    // Whether the line is `last` (wholly inside the chunk it came in).
    let whole = false;
    if (this.#store !== null) {
      // Past the limit with its last piece, a long line is counted like any oversize one.
      if (this.#pendingBytes + last.length > this.#max + 1) {
        this.#toOversize();
        this.#appendOversize(last);
        events.push(this.#takeOversize());
        return;
      }
      this.#store.append(last);
      this.#letGo += last.length;
      // (A store used again holds no more than its line needs: a longer line's pages go back.)
      this.#store.fit();
      line = this.#store.bytes();
      this.#store.lends++;
      this.#lent = this.#store;
      this.#store = null;
      this.#pendingBytes = 0;
    } else if (this.#pendingBytes === 0) {
      line = last; // zero copy: the whole line is inside one chunk
      whole = true;
      if (this.#spare !== null) this.#shorterLine(line.length);
    } else {
      this.#pending.push(last);
      line = Buffer.concat(this.#pending, this.#pendingBytes + last.length);
      this.#pending = [];
      this.#pendingBytes = 0;
      if (this.#spare !== null) this.#shorterLine(line.length);
    }
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (line.length > this.#max) {
      events.push({
        kind: 'oversize',
        size: line.length,
        head: Buffer.from(line.subarray(0, OVERSIZE_KEEP_BYTES)),
        tail: Buffer.from(line.subarray(Math.max(0, line.length - OVERSIZE_KEEP_BYTES))),
      });
      return;
    }
    if (isBlank(line)) return;
    if (events.reusesEvents !== true) {
      events.push({ kind: 'frame', bytes: line });
      return;
    }
    const event = this.#reused;
    event.bytes = line;
    // (A string of its own, not a slice of one for the chunk: a slice would hold the chunk's
    // text for as long as anything holds the line's.)
    event.text = whole && ascii !== undefined ? ascii.latin1Slice(at, at + line.length) : undefined;
    events.push(event);
    // Not held past its handling: the line (or the chunk it is a view of) can be collected.
    event.bytes = NO_BYTES;
    event.text = undefined;
  }

  /** A line held without a store completed: the spare store is given up once enough of them did (SPARE_KEPT_FOR_BYTES). */
  #shorterLine(bytes: number): void {
    this.#sinceSpare += bytes + 1;
    if (this.#sinceSpare < SPARE_KEPT_FOR_BYTES) return;
    this.#spare!.release();
    this.#spare = null;
  }

  /** Emits the streamed oversize line, dropping its trailing "\r" from the count and tail. */
  #takeOversize(): FrameEvent {
    const o = this.#oversize!;
    this.#oversize = null;
    let { size, tail } = o;
    if (tail.length > 0 && tail[tail.length - 1] === CR) {
      size -= 1;
      tail = tail.subarray(0, tail.length - 1);
    }
    tail = tail.subarray(Math.max(0, tail.length - OVERSIZE_KEEP_BYTES));
    return { kind: 'oversize', size, head: o.head.subarray(0, Math.min(o.head.length, size)), tail };
  }
}

// What `buffer.toString('latin1', start, end)` calls once it has checked its arguments and looked
// up the encoding (Node's own Buffer method, not in its typings); the framer's range is valid.
interface Latin1Slicing {
  latin1Slice(start: number, end: number): string;
}
// Where a Node has no such method, no line comes with its text: each is decoded as before.
const LATIN1_SLICE = typeof (Buffer.prototype as Partial<Latin1Slicing>).latin1Slice === 'function';

// A resizable ArrayBuffer (ES2024); the project's TypeScript libraries do not declare it.
interface ResizableBuffer extends ArrayBuffer {
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}
type ResizableBufferConstructor = new (byteLength: number, options: { maxByteLength: number }) => ResizableBuffer;
// Resizable ArrayBuffers (ES2024), where this Node has them: a long line's store, and the shrink at start.
const RESIZABLE_BUFFERS = typeof (ArrayBuffer.prototype as Partial<ResizableBuffer>).resize === 'function';

/**
 * Shrinks one small resizable buffer, once, as a session starts (src/cli/commands/start.ts).
 *
 * V8 keeps one mark per isolate that no ArrayBuffer has yet been detached, and the optimized
 * code of any function that reads a typed array or a Buffer leans on it. From V8 12 (Node 22) a
 * shrink clears it too: a store's first shrink (fit and release below, after a line of 1 MiB
 * or more) cleared it, and V8 threw away the optimized code of every function that leaned on
 * it: about 70 of the call path's, Node's own stream code among them (`--log-deopt`: one "code
 * dependencies" change at the first release), all compiled again over the calls that followed.
 * Measured (Node 22; 12 000 sequential calls, six 8 MiB results, 2000 pipelined calls, then
 * 20 000 pipelined calls; four pairs, builds alternating; the CPU clock's tick is 0.5 µs per
 * call here): the shim's CPU per call over those 20 000 was 11.0-15.0 µs without this call and
 * 10.0-11.5 µs with it; the rounds after were 6.0-8.5 µs either way. Shrunk here, before
 * anything is optimized, the mark is cleared while there is nothing to throw away. On Node 20
 * the shrink runs and leaves the mark as it is.
 */
export function shrinkOnceAtStart(): void {
  if (!RESIZABLE_BUFFERS) return;
  try {
    const buffer = new (ArrayBuffer as unknown as ResizableBufferConstructor)(1, { maxByteLength: 1 });
    buffer.resize(0);
  } catch {
    // A Node that refuses it only keeps the mark, as before.
  }
}

/**
 * A long line's bytes, in one ArrayBuffer that grows in place up to the line limit (memory
 * is reserved, not taken: only the pages written to are). Appended to, then read once.
 */
class LineStore {
  #length = 0;
  /** How many lines it was handed out with (a token from takeLent names one of them). */
  lends = 0;

  private constructor(private readonly buffer: ResizableBuffer) {}

  /** A store that may grow to `maxBytes`, or null where that cannot be reserved (or this Node has no resizable buffers). */
  static make(maxBytes: number): LineStore | null {
    if (!RESIZABLE_BUFFERS) return null;
    try {
      return new LineStore(new (ArrayBuffer as unknown as ResizableBufferConstructor)(0, { maxByteLength: maxBytes }));
    } catch {
      return null;
    }
  }

  /** Copies `piece` in after what is there (the caller keeps the total within maxBytes). */
  append(piece: Buffer): void {
    const at = this.#length;
    const end = at + piece.length;
    if (end > this.buffer.byteLength) this.buffer.resize(Math.min(this.buffer.maxByteLength, Math.ceil(end / STORE_STEP_BYTES) * STORE_STEP_BYTES));
    new Uint8Array(this.buffer, at, piece.length).set(piece);
    this.#length = end;
  }

  /** The bytes written, as one buffer. */
  bytes(): Buffer {
    return Buffer.from(this.buffer, 0, this.#length);
  }

  /** Its memory cut to what it holds, by whole steps (a store used again may have grown for a longer line). */
  fit(): void {
    const size = Math.ceil(this.#length / STORE_STEP_BYTES) * STORE_STEP_BYTES;
    if (this.buffer.byteLength > size) this.buffer.resize(size);
  }

  /** Empty again, its pages kept (written over by the next line). */
  clear(): void {
    this.#length = 0;
  }

  /** Empty, its pages given back to the system (a resizable buffer shrunk gives them up at once). */
  release(): void {
    this.#length = 0;
    this.buffer.resize(0);
  }
}

// What takeLent hands out: one store, as lent with one line.
class Lent implements LentStore {
  readonly lent = true as const;
  constructor(
    readonly store: LineStore,
    readonly lends: number,
  ) {}
}

/** True for a line holding only JSON whitespace (space, tab, CR): no event, not an error. */
function isBlank(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) {
    const b = line[i];
    if (b !== 0x20 && b !== 0x09 && b !== CR) return false;
  }
  return true;
}

// From this size, an ASCII frame is decoded as latin1: the same text (ASCII bytes are the
// same characters in both), copied out in one move instead of read through the UTF-8 decoder,
// and held outside V8's heap (a large frame's text no longer grows the heap towards a collection).
const LATIN1_FROM_BYTES = 64 * 1024;

/**
 * Decodes a frame as UTF-8. Invalid sequences become U+FFFD rather than throwing: the
 * decoded text is what gets parsed, inspected and (re-serialised) forwarded, so a
 * replacement character cannot smuggle anything past the checks. A UTF-8 BOM is kept as
 * U+FEFF, which the JSON parser then rejects. (A large ASCII frame is decoded as latin1,
 * which reads ASCII bytes as the same characters; any other byte takes the UTF-8 decoder.)
 */
export function frameToString(bytes: Buffer): string {
  // (toString with no argument is UTF-8, by Node's shortest way: no encoding or range to check.)
  return bytes.length >= LATIN1_FROM_BYTES && asciiFrame(bytes) ? bytes.toString('latin1') : bytes.toString();
}
