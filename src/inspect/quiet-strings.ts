/**
 * Short strings on which no pattern rule fired, each with the budget steps its reading counted
 * (see RuleIndex.quietKeys): a fixed table, so that neither looking a string up nor keeping one
 * makes anything. A string's slot is chosen from its length and three of its characters; a
 * string kept in a taken slot takes it over (what was there is read again when it comes back,
 * at its full cost, which the reading itself counts: nothing the budget decides changes).
 */

/** How many strings one table holds at most. */
export const QUIET_SLOTS = 256;

export class QuietStrings {
  private readonly texts = new Array<string | undefined>(QUIET_SLOTS).fill(undefined);
  private readonly steps = new Float64Array(QUIET_SLOTS);

  /** The steps kept for `text`, or undefined when it is not kept. */
  get(text: string): number | undefined {
    const slot = slotOf(text);
    return this.texts[slot] === text ? this.steps[slot] : undefined;
  }

  has(text: string): boolean {
    return this.texts[slotOf(text)] === text;
  }

  /** Keep `text`, whose reading counted `steps`, in place of whatever held its slot. */
  keep(text: string, steps: number): void {
    const slot = slotOf(text);
    this.texts[slot] = text;
    this.steps[slot] = steps;
  }
}

// (charCodeAt past the end is NaN, which `| 0` makes 0: the empty string has slot 0.)
function slotOf(text: string): number {
  const n = text.length;
  return (n * 31 + (text.charCodeAt(0) | 0) * 7 + (text.charCodeAt(n >> 1) | 0) * 13 + (text.charCodeAt(n - 1) | 0)) & (QUIET_SLOTS - 1);
}
