/**
 * A table by id key that reads and writes as a Map of them does (get, has, set, delete, size,
 * clear, and the entries in the order their keys were first set), for the requests in flight.
 *
 * Most clients number their requests 0, 1, 2, ...: such a key (an integer from 0 to 2^31 - 1)
 * is kept in a slot of its own, picked by its low bits, with no hashing and no table that
 * grows and is copied as keys come and go (a Map under pipelined calls copies its table every
 * few thousand calls, a young copy that survives collections). Any other key (a string, a
 * fraction, a large number), or one whose slot another key holds, goes to a Map beside it.
 * A key is in one of the two, never both. The slots double, up to MAX_SLOTS, when a key finds
 * its slot taken while half of them are used; they never shrink.
 */
import type { IdKey } from '../protocol/jsonrpc.js';

const FIRST_SLOTS = 256;
/** Enough for every request in flight (SESSION_LIMITS.maxPendingClient) numbered in a row. */
const MAX_SLOTS = 16384;
const EMPTY = -1;

// A key kept in a slot: an integer from 0 to 2^31 - 1 (-0 is the key 0, as a Map has it).
function isSlotKey(key: IdKey): key is number {
  return typeof key === 'number' && (key | 0) === key && key >= 0;
}

export class IdTable<V> {
  /** Each slot's key, or EMPTY. */
  #keys = new Int32Array(FIRST_SLOTS).fill(EMPTY);
  #values = new Array<V | undefined>(FIRST_SLOTS).fill(undefined);
  /** When each slot's key was first set (for the order of entries()). */
  #order = new Float64Array(FIRST_SLOTS);
  #mask = FIRST_SLOTS - 1;
  #used = 0;
  readonly #others = new Map<IdKey, V>();
  readonly #othersOrder = new Map<IdKey, number>();
  #nextOrder = 0;

  get size(): number {
    return this.#used + this.#others.size;
  }

  get(key: IdKey): V | undefined {
    if (isSlotKey(key)) {
      const slot = key & this.#mask;
      if (this.#keys[slot] === key) return this.#values[slot];
    }
    return this.#others.size === 0 ? undefined : this.#others.get(key);
  }

  has(key: IdKey): boolean {
    if (isSlotKey(key) && this.#keys[key & this.#mask] === key) return true;
    return this.#others.size !== 0 && this.#others.has(key);
  }

  set(key: IdKey, value: V): this {
    if (isSlotKey(key)) {
      const slot = key & this.#mask;
      const held = this.#keys[slot];
      if (held === key) {
        this.#values[slot] = value;
        return this;
      }
      // (A key set while its slot was taken stays with the others.)
      if (this.#others.size === 0 || !this.#others.has(key)) {
        if (held === EMPTY) {
          this.#keys[slot] = key;
          this.#values[slot] = value;
          this.#order[slot] = this.#nextOrder++;
          this.#used++;
          return this;
        }
        if (this.#used * 2 >= this.#keys.length && this.#keys.length < MAX_SLOTS) {
          this.#grow();
          return this.set(key, value);
        }
      }
    }
    if (!this.#others.has(key)) this.#othersOrder.set(key, this.#nextOrder++);
    this.#others.set(key, value);
    return this;
  }

  delete(key: IdKey): boolean {
    if (isSlotKey(key)) {
      const slot = key & this.#mask;
      if (this.#keys[slot] === key) {
        this.#keys[slot] = EMPTY;
        this.#values[slot] = undefined;
        this.#used--;
        return true;
      }
    }
    if (this.#others.size === 0 || !this.#others.delete(key)) return false;
    this.#othersOrder.delete(key);
    return true;
  }

  clear(): void {
    this.#keys.fill(EMPTY);
    this.#values.fill(undefined);
    this.#used = 0;
    this.#others.clear();
    this.#othersOrder.clear();
  }

  /** Every value, in no order (for counting). */
  forEachValue(visit: (value: V) => void): void {
    const keys = this.#keys;
    for (let slot = 0; slot < keys.length; slot++) if (keys[slot] !== EMPTY) visit(this.#values[slot] as V);
    for (const value of this.#others.values()) visit(value);
  }

  /** The entries in the order their keys were first set, as a Map gives them (a snapshot). */
  entries(): Array<[IdKey, V]> {
    const found: Array<{ order: number; key: IdKey; value: V }> = [];
    const keys = this.#keys;
    for (let slot = 0; slot < keys.length; slot++) {
      const key = keys[slot] as number;
      if (key !== EMPTY) found.push({ order: this.#order[slot] as number, key, value: this.#values[slot] as V });
    }
    for (const [key, value] of this.#others) found.push({ order: this.#othersOrder.get(key) as number, key, value });
    found.sort((a, b) => a.order - b.order);
    return found.map(({ key, value }) => [key, value]);
  }

  // Twice the slots: every slot key is placed again (none collide that did not before), and
  // the others' slot keys move in where their slot is free.
  #grow(): void {
    const oldKeys = this.#keys;
    const oldValues = this.#values;
    const oldOrder = this.#order;
    const size = oldKeys.length * 2;
    this.#keys = new Int32Array(size).fill(EMPTY);
    this.#values = new Array<V | undefined>(size).fill(undefined);
    this.#order = new Float64Array(size);
    this.#mask = size - 1;
    for (let slot = 0; slot < oldKeys.length; slot++) {
      const key = oldKeys[slot] as number;
      if (key === EMPTY) continue;
      const to = key & this.#mask;
      this.#keys[to] = key;
      this.#values[to] = oldValues[slot];
      this.#order[to] = oldOrder[slot] as number;
    }
    for (const [key, value] of this.#others) {
      if (!isSlotKey(key)) continue;
      const to = key & this.#mask;
      if (this.#keys[to] !== EMPTY) continue;
      this.#keys[to] = key;
      this.#values[to] = value;
      this.#order[to] = this.#othersOrder.get(key) as number;
      this.#used++;
      this.#others.delete(key);
      this.#othersOrder.delete(key);
    }
  }
}
