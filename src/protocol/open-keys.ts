/**
 * The keys of the objects still open in a walk over JSON text, to find a repeated one
 * (unambiguous.ts, plain-read.ts). Keys are kept as positions in the text and compared in
 * place: a walk over a frame makes no string or list per key or object, which at several
 * objects a frame was a large part of the check's cost. The walks run to their end before
 * another starts (nothing in them waits), so one instance is shared by all of them.
 */

// Keys an object may have before they are kept in a Set rather than compared one by one.
const SHORT_KEY_LIST = 16;

export class OpenKeys {
  /** Key i of the open objects is text[starts[i], ends[i]). */
  #starts = new Int32Array(64);
  #ends = new Int32Array(64);
  #count = 0;
  /** Per open container, outermost first: the index of its first key, or -1 for an array. */
  #from = new Int32Array(64);
  #depth = 0;
  /** Per open container: its keys as a Set, once it has more than SHORT_KEY_LIST of them. */
  #sets: Array<Set<string> | undefined> = [];
  /** How many entries of #sets were ever set in this walk: none, in most frames. */
  #setsUsed = 0;

  /** Forget everything: a new walk starts. */
  reset(): void {
    this.#count = 0;
    this.#depth = 0;
    if (this.#setsUsed > 0) {
      this.#sets = [];
      this.#setsUsed = 0;
    }
  }

  /** How many containers are open. */
  get depth(): number {
    return this.#depth;
  }

  /** True when the innermost open container is an object. */
  get inObject(): boolean {
    return this.#depth > 0 && this.#from[this.#depth - 1]! >= 0;
  }

  /** A container opens: an object (whose keys are tracked) or an array. */
  open(isObject: boolean): void {
    if (this.#depth === this.#from.length) this.#from = grow(this.#from);
    this.#from[this.#depth++] = isObject ? this.#count : -1;
  }

  /** The innermost container closes: its keys are dropped. */
  close(): void {
    if (this.#depth === 0) return;
    const from = this.#from[--this.#depth]!;
    if (from >= 0) this.#count = from;
    if (this.#setsUsed > 0 && this.#sets.length > this.#depth) this.#sets[this.#depth] = undefined;
  }

  /**
   * The key written as text[start, end) (without its quotes, and with no escape in it) goes
   * into the innermost object; false when that object has it already.
   */
  add(text: string, start: number, end: number): boolean {
    const level = this.#depth - 1;
    const set = this.#setsUsed > 0 ? this.#sets[level] : undefined;
    if (set !== undefined) {
      const key = text.slice(start, end);
      if (set.has(key)) return false;
      set.add(key);
      return true;
    }
    const from = this.#from[level]!;
    const length = end - start;
    for (let k = from; k < this.#count; k++) {
      const at = this.#starts[k]!;
      if (this.#ends[k]! - at === length && sameChars(text, at, start, length)) return false;
    }
    if (this.#count - from < SHORT_KEY_LIST) {
      if (this.#count === this.#starts.length) {
        this.#starts = grow(this.#starts);
        this.#ends = grow(this.#ends);
      }
      this.#starts[this.#count] = start;
      this.#ends[this.#count++] = end;
      return true;
    }
    // Many keys: from here on a Set, which this object's keys leave the position list for.
    const many = new Set<string>();
    for (let k = from; k < this.#count; k++) many.add(text.slice(this.#starts[k], this.#ends[k]));
    many.add(text.slice(start, end));
    this.#count = from;
    while (this.#sets.length <= level) this.#sets.push(undefined);
    this.#sets[level] = many;
    this.#setsUsed++;
    return true;
  }
}

function sameChars(text: string, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (text.charCodeAt(a + i) !== text.charCodeAt(b + i)) return false;
  return true;
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
