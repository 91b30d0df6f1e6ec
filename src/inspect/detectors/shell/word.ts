/**
 * One shell word as the shell will see it after quote removal, with the traces of how it
 * was spelled: a name whose letters were split by quotes or escapes (`c''url`, `w\hoami`)
 * reads as `curl` to the shell but not to a word list, so the split itself is the signal.
 */

/** A word after quote removal, and how it was written. */
export interface ShellWord {
  /** The text the shell uses; variables are kept as written (`$x`), empty expansions dropped. */
  text: string;
  /** Letters or digits were split by a quote, an escape or an empty expansion. */
  split: boolean;
  /** Contains an unquoted glob character (`*`, `?`, `[`). */
  glob: boolean;
  /** How many expansions (`$x`, `${x}`, `$(…)`, backticks) it holds. */
  expansions: number;
  /** Built with `$'\x63…'` escapes, or a `${x:0:1}` slice. */
  encoded: boolean;
  /** Some part of it was quoted or escaped. */
  quoted: boolean;
  /** Where the word starts in the text. */
  start: number;
}

const ALNUM = /[a-z0-9]/i;

/** ALNUM.test(c), by code unit for one character: it runs per character of a command (the tests compare it with the regex). */
export function isAlnum(c: string): boolean {
  if (c.length !== 1) return ALNUM.test(c);
  return isAlnumCode(c.charCodeAt(0));
}

// isAlnum of one code unit.
function isAlnumCode(code: number): boolean {
  const lower = code | 0x20;
  return (lower >= 0x61 && lower <= 0x7a) || (code >= 0x30 && code <= 0x39);
}

/** Builds a word character by character, noticing quote and escape boundaries inside it. */
export class WordBuilder {
  // The text so far, appended to (read once or twice a word, so no array joined per read).
  private sofar = '';
  private started = false;
  private split = false;
  private glob = false;
  private expansions = 0;
  private encoded = false;
  private quoted = false;
  private prevAlnum = false;
  private boundary = false;
  private start = -1;

  /** Whether anything (even an empty `''`) has begun a word. */
  get active(): boolean {
    return this.started;
  }

  /** The text so far. */
  get text(): string {
    return this.sofar;
  }

  /** Whether the word so far is only an unquoted file-descriptor number (`2` in `2>`). */
  get isDescriptor(): boolean {
    return !this.quoted && this.expansions === 0 && /^\d+$/.test(this.text);
  }

  /** Add one character that the shell takes literally. */
  push(c: string, at: number): void {
    this.begin(at);
    const alnum = isAlnum(c);
    // A quote or escape between two letters is how `c''url` hides `curl` from word lists.
    if (alnum && this.prevAlnum && this.boundary) this.split = true;
    this.sofar += c;
    this.prevAlnum = alnum;
    this.boundary = false;
  }

  /**
   * Add the characters of `text` from `from` to `to`, each taken literally: as push of each in
   * turn (only the first can meet a quote or escape before it; the boundary is gone after it).
   */
  pushRun(text: string, from: number, to: number): void {
    this.begin(from);
    const first = text.charCodeAt(from);
    if (this.prevAlnum && this.boundary && isAlnumCode(first)) this.split = true;
    this.sofar += text.slice(from, to);
    this.prevAlnum = isAlnumCode(text.charCodeAt(to - 1));
    this.boundary = false;
  }

  /** Add an unquoted glob character. */
  pushGlob(c: string, at: number): void {
    this.push(c, at);
    this.glob = true;
  }

  /** A quote opened or closed, an escape, or an expansion that yields nothing. */
  mark(at: number, quoted = true): void {
    this.begin(at);
    this.boundary = true;
    if (quoted) this.quoted = true;
  }

  /** An expansion whose value is unknown here, kept as written. */
  expansion(text: string, at: number): void {
    this.begin(at);
    this.sofar += text;
    this.expansions += 1;
    this.prevAlnum = false;
    this.boundary = false;
  }

  /** The word was built from encoded characters or a substring slice. */
  markEncoded(): void {
    this.encoded = true;
  }

  /** The finished word, and a fresh builder state. */
  take(): ShellWord {
    const word: ShellWord = {
      text: this.text,
      split: this.split,
      glob: this.glob,
      expansions: this.expansions,
      encoded: this.encoded,
      quoted: this.quoted,
      start: this.start,
    };
    this.sofar = '';
    this.started = this.split = this.glob = this.encoded = this.quoted = false;
    this.prevAlnum = this.boundary = false;
    this.expansions = 0;
    this.start = -1;
    return word;
  }

  private begin(at: number): void {
    if (!this.started) this.start = at;
    this.started = true;
  }
}
