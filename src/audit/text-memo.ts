/**
 * `text` itself, its characters made one piece in memory. A text joined from parts (`a + b`, a
 * template) is held as the tree of its parts until something reads it whole, and a line made
 * of kept parts would otherwise carry every part's tree into each line, walked again whenever
 * a line is encoded: a kept part is read once here (indexOf makes the engine flatten it, in
 * place), so that each line holds it as one piece. Only speed depends on it; the text is the same.
 */
export function flat(text: string): string {
  text.indexOf('\0');
  return text;
}

/**
 * A bounded memory of the texts a pure function made from short strings. A decision line's
 * parts repeat exactly from call to call (a method, a tool's shown name, a verdict with its
 * rule, a msg), and a part made once is kept instead of being quoted and joined again for
 * every line: kept by its exact input, only for inputs of at most `maxKeyChars` characters,
 * and at most `maxEntries` of them (when full, the memory starts again empty). What is kept is
 * made flat first (see {@link flat}).
 */
export class TextMemo {
  private readonly texts = new Map<string, string>();
  // The key last found, and its text: lines in a row mostly ask for the same one, which is
  // then answered without a look-up in the map. (Only ever one the map holds: let go of when
  // the map is emptied.)
  private lastKey: string | undefined = undefined;
  private lastText = '';

  constructor(
    private readonly maxEntries: number,
    private readonly maxKeyChars: number,
  ) {}

  /** `make(key)`, remembered. `make` must be pure: the same key always gives the same text. */
  text(key: string, make: (key: string) => string): string {
    return this.known(key) ?? this.keep(key, make(key));
  }

  /** The text kept for `key`, if any. */
  known(key: string): string | undefined {
    if (key === this.lastKey) return this.lastText;
    const text = this.texts.get(key);
    if (text !== undefined) {
      this.lastKey = key;
      this.lastText = text;
    }
    return text;
  }

  /** Keep `text` as what `key` gives (if the key is short enough), and return it. */
  keep(key: string, text: string): string {
    if (key.length <= this.maxKeyChars) {
      if (this.texts.size >= this.maxEntries) {
        this.texts.clear();
        this.lastKey = undefined;
      }
      this.texts.set(key, flat(text));
    }
    return text;
  }
}

/**
 * The same for texts made from two short strings (say a verdict and a rule), at most
 * `maxEntries` pairs in all; each key at most `maxKeyChars` long.
 */
export class PairMemo {
  private readonly texts = new Map<string, Map<string, string>>();
  private entries = 0;
  // The pair last found, and its text (see TextMemo).
  private lastFirst: string | undefined = undefined;
  private lastSecond: string | undefined = undefined;
  private lastText = '';

  constructor(
    private readonly maxEntries: number,
    private readonly maxKeyChars: number,
  ) {}

  /** The text kept for (`first`, `second`), if any. */
  known(first: string, second: string): string | undefined {
    if (first === this.lastFirst && second === this.lastSecond) return this.lastText;
    const text = this.texts.get(first)?.get(second);
    if (text !== undefined) {
      this.lastFirst = first;
      this.lastSecond = second;
      this.lastText = text;
    }
    return text;
  }

  /** Keep `text` as what (`first`, `second`) give (if both are short enough), and return it. */
  keep(first: string, second: string, text: string): string {
    if (first.length > this.maxKeyChars || second.length > this.maxKeyChars) return text;
    if (this.entries >= this.maxEntries) {
      this.texts.clear();
      this.entries = 0;
      this.lastFirst = this.lastSecond = undefined;
    }
    let seconds = this.texts.get(first);
    if (seconds === undefined) this.texts.set(first, (seconds = new Map()));
    if (!seconds.has(second)) this.entries += 1;
    seconds.set(second, flat(text));
    return text;
  }
}
