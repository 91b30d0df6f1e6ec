/**
 * A WeakMap of what is kept per object (a session, a policy, a tool verdict), read with the
 * entry found or set last at hand: a process has one session and one policy, asked about on
 * every call, and calls repeat their tool, so a WeakMap look-up per call is a hash look-up for
 * nothing. Reads and writes as the WeakMap does. (The last key is held strongly: one object
 * outlives its use, until another is asked about.)
 */
export class RecentWeakMap<K extends object, V> {
  readonly #entries = new WeakMap<K, V>();
  #lastKey: K | undefined = undefined;
  #lastValue: V | undefined = undefined;

  get(key: K): V | undefined {
    if (key === this.#lastKey) return this.#lastValue;
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#lastKey = key;
      this.#lastValue = value;
    }
    return value;
  }

  set(key: K, value: V): this {
    this.#entries.set(key, value);
    this.#lastKey = key;
    this.#lastValue = value;
    return this;
  }
}
