/**
 * Every rule's keywords found in one pass over a text: an Aho-Corasick automaton built once
 * from the keywords of a whole rule set. Each character costs one table lookup whatever the
 * number of keywords, so a text is read once, not once per rule or keyword. Reading a text
 * also collects its characters (see required-chars.ts), which the patterns' needs are tested
 * against.
 *
 * ASCII steps go through a full transition table (characters that occur in no keyword share
 * one column, so it is 64 columns wide); other code units follow the trie and its failure
 * links, which is linear too (each failure step gives back depth one character added).
 */
import type { CharSet } from './required-chars.js';
import { charSetOf, laneRows, lowerLatin1, readLatin1, WINDOW_BYTES, type LaneTables, type WindowChars } from './keyword-lanes.js';
import { laneKernel } from './lane-kernel.js';

/** What one pass over a text found. */
export interface KeywordScan {
  /** The output ids reached (see `outputs`), each once: the text holds exactly their keywords (and `everywhere`). */
  reached: number[];
  /** The characters of the text. */
  chars: CharSet;
  /** From a read in windows (scanLatin1): each window's characters. */
  windows?: WindowChars;
}

// Each keyword's id list, per state with any output.
type OutputList = readonly number[];

/** An automaton over a fixed list of keywords. */
export class KeywordAutomaton {
  /** Number of outputs (states at which some keyword ends, directly or by a failure link). */
  readonly outputCount: number;
  // ASCII code unit → column (0: in no keyword).
  private readonly column = new Uint8Array(128);
  private readonly width: number;
  // States × columns → next state: 16 bits a cell while the states fit (the shipped rules' are
  // a few thousand), half the memory of 32 (about 2 MB less for the shipped rule sets).
  private readonly delta: Uint16Array | Int32Array;
  // Transitions on code units above U+007F, per state (the trie's own edges only).
  private readonly wide: Array<Map<number, number> | undefined>;
  private readonly fail: Int32Array;
  // State → output id, or -1.
  private readonly outputOf: Int32Array;
  /** Per output id, the keyword ids it stands for (keywords ending there or on its failure chain). */
  readonly outputs: readonly OutputList[];
  /** Keyword ids of the empty keyword, which every text holds. */
  readonly everywhere: readonly number[];

  constructor(readonly keywords: readonly string[]) {
    // The trie: edges per state, keyed by code unit.
    const edges: Array<Map<number, number>> = [new Map()];
    const ends: number[][] = [[]];
    const everywhere: number[] = [];
    keywords.forEach((keyword, id) => {
      if (keyword.length === 0) {
        everywhere.push(id);
        return;
      }
      let state = 0;
      for (let i = 0; i < keyword.length; i++) {
        const code = keyword.charCodeAt(i);
        let next = edges[state]!.get(code);
        if (next === undefined) {
          next = edges.length;
          edges.push(new Map());
          ends.push([]);
          edges[state]!.set(code, next);
        }
        state = next;
      }
      ends[state]!.push(id);
    });
    this.everywhere = everywhere;
    let columns = 1;
    for (const map of edges) for (const code of map.keys()) if (code < 128 && this.column[code] === 0) this.column[code] = columns++;
    this.width = columns;
    const states = edges.length;
    this.delta = states <= 0xffff ? new Uint16Array(states * columns) : new Int32Array(states * columns);
    this.fail = new Int32Array(states);
    this.wide = new Array<Map<number, number> | undefined>(states).fill(undefined);
    for (let s = 0; s < states; s++) {
      for (const [code, next] of edges[s]!) {
        if (code >= 128) (this.wide[s] ??= new Map()).set(code, next);
      }
    }
    // Breadth first: a state's failure target is shallower, so its row is complete before it is read.
    const order: number[] = [0];
    const out: number[][] = ends.map((list) => [...list]);
    for (let head = 0; head < order.length; head++) {
      const s = order[head]!;
      const row = s * columns;
      const failRow = this.fail[s]! * columns;
      // (Natively: a loop over every cell runs cold, once, at start, and cost tens of milliseconds.)
      if (s !== 0) this.delta.copyWithin(row, failRow, failRow + columns);
      for (const [code, next] of edges[s]!) {
        if (code < 128) this.delta[row + this.column[code]!] = next;
        this.fail[next] = s === 0 ? 0 : code < 128 ? this.delta[failRow + this.column[code]!]! : this.stepWide(this.fail[s]!, code);
        order.push(next);
      }
      // (Column 0 of every row stays 0: no keyword holds that character.)
      if (s !== 0) for (const id of out[this.fail[s]!]!) if (!out[s]!.includes(id)) out[s]!.push(id);
    }
    this.outputOf = new Int32Array(states).fill(-1);
    const outputs: OutputList[] = [];
    for (let s = 0; s < states; s++) {
      if (out[s]!.length === 0) continue;
      this.outputOf[s] = outputs.length;
      outputs.push(out[s]!.sort((a, b) => a - b));
    }
    this.outputs = outputs;
    this.outputCount = outputs.length;
  }

  // The next state on a code unit above U+007F: the trie's edge, else the failure chain's.
  private stepWide(state: number, code: number): number {
    for (let s = state; ; s = this.fail[s]!) {
      const next = this.wide[s]?.get(code);
      if (next !== undefined) return next;
      if (s === 0) return 0;
    }
  }

  // Which outputs the current scan has reached: stamps, so nothing is cleared or allocated per scan.
  private stamps: Uint32Array | undefined;
  private stamp = 0;

  private nextStamp(): Uint32Array {
    const stamps = (this.stamps ??= new Uint32Array(this.outputCount));
    if (++this.stamp === 0xffffffff) {
      stamps.fill(0);
      this.stamp = 1;
    }
    return stamps;
  }

  /** Read `text` once: the outputs it reaches and its characters. */
  scan(text: string): KeywordScan {
    const outputs = new Int32Array(this.outputCount);
    const chars: CharSet = { words: [0, 0, 0, 0], other: false };
    const count = this.scanInto(text, outputs, chars);
    return { reached: Array.from(outputs.subarray(0, count)), chars };
  }

  /**
   * scan, written into what the caller keeps for it (for callers that read many short texts):
   * the outputs reached, each once, into `outputs` (at least `outputCount` long), and the
   * characters into `chars`. Returns how many outputs were written; nothing is allocated.
   */
  scanInto(text: string, outputs: Int32Array, chars: CharSet): number {
    const { column, delta, width, outputOf } = this;
    const stamps = this.nextStamp();
    const stamp = this.stamp;
    let count = 0;
    let w0 = 0, w1 = 0, w2 = 0, w3 = 0;
    let other = false;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        if (c < 32) w0 |= 1 << c;
        else if (c < 64) w1 |= 1 << (c - 32);
        else if (c < 96) w2 |= 1 << (c - 64);
        else w3 |= 1 << (c - 96);
        state = delta[state * width + column[c]!]!;
      } else {
        other = true;
        state = this.stepWide(state, c);
      }
      const output = outputOf[state]!;
      if (output >= 0 && stamps[output] !== stamp) {
        stamps[output] = stamp;
        outputs[count++] = output;
      }
    }
    const words = chars.words;
    words[0] = w0;
    words[1] = w1;
    words[2] = w2;
    words[3] = w3;
    chars.other = other;
    return count;
  }

  /** The same over the bytes of a text with no code unit above 0xff (faster to read when long). */
  scanBytes(bytes: Uint8Array): KeywordScan {
    const { column, delta, width, outputOf } = this;
    const stamps = this.nextStamp();
    const stamp = this.stamp;
    const reached: number[] = [];
    const seen = new Uint8Array(256);
    let state = 0;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!;
      seen[c] = 1;
      state = c < 128 ? delta[state * width + column[c]!]! : this.stepWide(state, c);
      const output = outputOf[state]!;
      if (output >= 0 && stamps[output] !== stamp) {
        stamps[output] = stamp;
        reached.push(output);
      }
    }
    const words: [number, number, number, number] = [0, 0, 0, 0];
    for (let c = 0; c < 128; c++) if (seen[c]) words[c >> 5]! |= 1 << (c & 31);
    return { reached, chars: { words, other: seen.subarray(128).includes(1) } };
  }

  /** Whether long texts are read by the compiled kernel (lane-kernel.ts) where it is available; tests turn it off to compare. */
  static compiledLanes = true;

  // The tables and the window buffer of scanLatin1, made on its first use (keyword-lanes.ts).
  private lanes: LaneTables | undefined;
  private window: Buffer | undefined;

  /**
   * The same as scanBytes over the latin1 bytes of `text.toLowerCase()` (`text`: no code unit
   * above 0xff), read a window at a time in several stretches at once (keyword-lanes.ts):
   * faster on a long text, and no copy of it. Case is folded as the text is read: in that
   * range each character's lower case is one character, on its own (lowerLatin1), so a
   * character is read as its lower case (the tables step A-Z as a-z, and the characters seen
   * are folded after the read). Text already lower-cased reads the same either way.
   * `windowBytes`: tests make it small to put many window ends in a short text.
   */
  scanLatin1(text: string, windowBytes = WINDOW_BYTES): KeywordScan {
    const t = (this.lanes ??= this.laneTables());
    // (Windows overlap by a keyword's length: keywords that long would make them crawl.)
    if (2 * t.longest >= windowBytes) return this.scanBytes(Buffer.from(text.toLowerCase(), 'latin1'));
    const stamps = this.nextStamp();
    // In the compiled read's memory when there is one (a shorter window is the start of it).
    const kernel = t.kernel;
    const buffer = kernel !== null && windowBytes <= kernel.window.length ? kernel.window.subarray(0, windowBytes) : this.window?.length === windowBytes ? this.window : Buffer.allocUnsafe(windowBytes);
    if (windowBytes === WINDOW_BYTES && kernel === null) this.window = buffer;
    const marks = { stamps, stamp: this.stamp, reached: [] as number[], seen: new Uint8Array(256) };
    const windows: WindowChars = { starts: [], ends: [], chars: [] };
    readLatin1(text, t, marks, buffer, windows);
    return { reached: marks.reached, chars: charSetOf(marks.seen), windows };
  }

  private laneTables(): LaneTables {
    let longest = 1;
    for (const k of this.keywords) if (k.length > longest) longest = k.length;
    const rows = laneRows(this.delta, this.width, this.outputOf);
    // Case folded: A-Z take the columns of a-z (and wide code units their lower case, in stepWide).
    const column = this.column.slice();
    for (let c = 0x41; c <= 0x5a; c++) column[c] = this.column[c + 0x20]!;
    const kernel = KeywordAutomaton.compiledLanes ? laneKernel(rows, column, this.width, WINDOW_BYTES) : null;
    return { rows, column, width: this.width, outputOf: this.outputOf, longest, stepWide: (state, code) => this.stepWide(state, lowerLatin1(code)), kernel };
  }

  /** The keywords (as strings) behind the outputs reached, with the empty keyword if there is one. */
  keywordsOf(reached: readonly number[]): Set<string> {
    const found = new Set<string>();
    for (const id of this.everywhere) found.add(this.keywords[id]!);
    for (const o of reached) for (const id of this.outputs[o]!) found.add(this.keywords[id]!);
    return found;
  }
}
