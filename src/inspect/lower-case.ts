/**
 * A text's lower case (String.prototype.toLowerCase), made only as far as it is read.
 *
 * The pattern rules read lower-cased text. For an 8 MiB result, the lower-cased copy costs
 * several milliseconds and 8 MiB, though the keyword read does not need it (it folds case as
 * it reads: keyword-automaton.ts scanLatin1) and the patterns usually run over a few stretches
 * of the text, or none. So for a long text with no code unit above U+00FF, the copy is made
 * a stretch at a time, where a pattern runs: in that range each character's lower case is one
 * character of its own (A-Z and U+00C0-U+00DE but U+00D7 move up by 0x20, nothing else
 * changes), never longer and never hanging on its neighbours (the final sigma rule, the
 * characters whose lower case is longer, such as U+0130, or lands in ASCII, such as U+212A
 * KELVIN SIGN, all lie above U+00FF), so a stretch lower-cased alone is exactly that stretch
 * of the whole text lower-cased. Any other text, and any short one, is lower-cased whole at
 * once, as before. Once stretches add up to a quarter of the text, the whole copy is made
 * instead (patterns running all over a long text would otherwise lower-case it piecemeal,
 * several times over).
 */

/** From this length on, a text with no code unit above U+00FF is lower-cased a stretch at a time. */
export const BY_STRETCH_FROM = 64 * 1024;

const BEYOND_LATIN1 = /[^\x00-\xff]/;
// The letters up to U+00FF with another case there (lowerLatin1 maps the upper ones to the lower).
const CASED = /[A-Za-z\u00c0-\u00d6\u00d8-\u00de\u00e0-\u00f6\u00f8-\u00fe]/;

// (One function for every default, not a closure made per text.)
const toLowerCase = (text: string): string => text.toLowerCase();

export class LowerCase {
  /** The lower case's length (the text's, when it is lower-cased by stretches). */
  readonly length: number;
  /** True when the text has no code unit above U+00FF and is long: its lower case is made a stretch at a time (see the file comment). */
  readonly byStretch: boolean;
  private made: string | undefined;
  private stretched = 0;

  /**
   * `lower`: the lower case itself, when the caller has it (then it is taken as it is), or
   * how to make it whole when it is not made by stretches (toLowerCase by default;
   * lowerSameLength's is the same for a text made by stretches).
   */
  constructor(
    readonly text: string,
    lower: string | ((text: string) => string) = toLowerCase,
  ) {
    this.byStretch = typeof lower !== 'string' && text.length >= BY_STRETCH_FROM && !BEYOND_LATIN1.test(text);
    this.made = this.byStretch ? undefined : typeof lower === 'string' ? lower : lower(text);
    this.length = this.made === undefined ? text.length : this.made.length;
  }

  /** The whole lower case. */
  get whole(): string {
    return (this.made ??= this.text.toLowerCase());
  }

  /**
   * The lower case's indexOf(search, from). In a text lower-cased by stretches, a search with
   * no letter that has another case within one byte is looked for in the text itself: each of
   * its characters is then the lower case of itself alone, so it is found at the same places
   * (a keyword of digits and signs in an 8 MiB result needs no lower-cased copy to be found).
   */
  indexOf(search: string, from?: number): number {
    return this.made === undefined && !CASED.test(search) ? this.text.indexOf(search, from) : this.whole.indexOf(search, from);
  }

  /** The stretch [from, to) of the lower case (`to` at most its length). */
  slice(from: number, to: number): string {
    if (this.made === undefined) {
      this.stretched += to - from;
      if (this.stretched <= this.text.length / 4) return this.text.slice(from, to).toLowerCase();
    }
    const whole = this.whole;
    return from === 0 && to === whole.length ? whole : whole.slice(from, to);
  }
}

/**
 * Lower-case `text` without changing its length, so that offsets found in the lower-cased
 * text hold in the original: the few characters whose lower case is longer stay as they are.
 */
export function lowerSameLength(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const ch of text) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}
