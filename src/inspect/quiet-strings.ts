/**
 * Short strings on which no pattern rule fired, each with the budget steps its reading counted
 * (see RuleIndex.quietKeys): a fixed table, so that neither looking a string up nor keeping one
 * makes anything. A string's slot is chosen from its length and the characters at its two
 * ends; a string is kept the second time it is offered, and a string kept in a taken slot takes it over (what was there is read again when it comes back,
 * at its full cost, which the reading itself counts: nothing the budget decides changes).
 */

/** How many strings one table holds at most. */
export const QUIET_SLOTS = 256;

export class QuietStrings {
  private readonly texts = new Array<string | undefined>(QUIET_SLOTS).fill(undefined);
  private readonly steps = new Float64Array(QUIET_SLOTS);
  // Per slot, the hash of the last string offered to keep there and not kept (see keep).
  private readonly offered = new Int32Array(QUIET_SLOTS);

  /** The steps kept for `text`, or undefined when it is not kept. */
  get(text: string): number | undefined {
    const slot = hashOf(text) & (QUIET_SLOTS - 1);
    return this.texts[slot] === text ? this.steps[slot] : undefined;
  }

  has(text: string): boolean {
    return this.texts[hashOf(text) & (QUIET_SLOTS - 1)] === text;
  }

  /**
   * Keep `text`, whose reading counted `steps`, in place of whatever held its slot (a copy of
   * it: see detached), when it comes a second time in a row to its slot: a string that never
   * comes back (a value with a counter in it) costs no copy and pushes nothing out.
   */
  keep(text: string, steps: number): void {
    const hash = hashOf(text);
    const slot = hash & (QUIET_SLOTS - 1);
    if (this.offered[slot] !== hash) {
      this.offered[slot] = hash;
      return;
    }
    this.texts[slot] = detached(text);
    this.steps[slot] = steps;
  }
}

/**
 * A copy of `text` that holds on to nothing else. A string cut from a longer one (the strict
 * parser slices each string out of its frame's text) may be kept by V8 as a view into it, and
 * keeping the view would keep the whole frame, an argument of megabytes among them, for as
 * long as the slot holds it. Split into its code units and joined again, the text is written
 * whole into a string of its own. (Not joined to a character and cut again: the cut of a text
 * of 13 characters or more is itself a view, into the joined copy, and comparing a string
 * with a view takes V8's slow path, five times the time of comparing two plain strings, on
 * every lookup the copy answers.)
 */
export function detached(text: string): string {
  return text.split('').join('');
}

// A string's hash, whose low bits are its slot: of the length and of the first and last SLOT_ENDS characters (a session's
// values mostly differ at one end: a counter, a file name, a query's tail), each read once.
const SLOT_ENDS = 8;

function hashOf(text: string): number {
  const n = text.length;
  let h = n;
  const head = Math.min(n, SLOT_ENDS);
  for (let i = 0; i < head; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  for (let i = Math.max(head, n - SLOT_ENDS); i < n; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h ^ (h >>> 8) ^ (h >>> 16);
}
