/**
 * What a code detector's reading of one string costs in budget steps (see budget.ts), per
 * character of the string in all its spellings, by the kind that makes the detector read it.
 * Charged when the detector first asks what kinds a string is (it asks before it reads), so
 * the budget stops a call before the work, not after. Rates are the detectors' measured cost
 * on ordinary text of that kind relative to one regex pass (one step); denser input costs
 * them more, which the detectors count themselves through `InspectContext.spend`.
 */
import type { ArgumentKind, Category, Detector, InspectContext, InspectedString } from './types.js';
import { emptyKeepingRoom } from './lists.js';
import { sharedKindSets } from './kinds.js';

/** Steps per character, by detector category and the kind of string it reads. */
export const DETECTOR_STEPS_PER_CHAR: Readonly<Partial<Record<Category, Partial<Record<ArgumentKind, number>>>>> = {
  'command-injection': { command: 128 },
  'sql-injection': { sql: 64 },
  'path-traversal': { path: 32 },
  ssrf: { url: 32, command: 32, text: 16 },
};

/**
 * The context one detector is given: its kindsOf charges each string once, at its rate.
 * `kept`: a context of an earlier call to use again (started afresh), instead of a new one.
 */
export function chargedContext(detector: Detector, context: InspectContext, spellingChars: (s: InspectedString) => number, kept?: ChargedContext): InspectContext {
  const rates = DETECTOR_STEPS_PER_CHAR[detector.category];
  const spend = context.spend;
  if (rates === undefined || spend === undefined) return context;
  const charged = kept ?? new ChargedContext();
  charged.start(context, rates, spend, spellingChars);
  return charged;
}

// Strings charged before the last one, looked for in a list up to this many (then a set).
const EARLIER_LISTED = 8;
const NO_RATES: Partial<Record<ArgumentKind, number>> = {};
const NOTHING_SPENT = (): void => undefined;
const NO_CHARS = (): number => 0;

/**
 * chargedContext's context: its kindsOf a method (no closure, and no scope kept for one, made
 * per call). Kept by an inspector between calls and started again for each (start), so that
 * a call makes none.
 */
export class ChargedContext implements InspectContext {
  tool = '';
  paths!: InspectContext['paths'];
  network!: InspectContext['network'];
  enough: InspectContext['enough'] = undefined;
  spend: (steps?: number) => void = NOTHING_SPENT;
  private context: InspectContext | undefined = undefined;
  private rates: Partial<Record<ArgumentKind, number>> = NO_RATES;
  private spellingChars: (s: InspectedString) => number = NO_CHARS;
  // Detectors mostly ask about each string once, or several times in a row: the last one
  // asked is kept apart, the ones charged before it in a short list (a call has a few
  // strings), and in a set once there are more than EARLIER_LISTED of them.
  private last: InspectedString | undefined = undefined;
  private readonly earlier: InspectedString[] = [];
  private earlierSet: Set<InspectedString> | undefined = undefined;
  // The rate of the last kinds asked about: strings in a row mostly share one set of kinds
  // (and calls in a row do too: kept from call to call).
  private lastKinds: ReadonlySet<ArgumentKind> | undefined = undefined;
  private lastRate = 0;

  /** Start afresh for one detector's reading: nothing charged yet. */
  start(context: InspectContext, rates: Partial<Record<ArgumentKind, number>>, spend: (steps?: number) => void, spellingChars: (s: InspectedString) => number): void {
    this.release();
    // (The rate of the last kinds is kept for the same rates: a set of kinds is never changed.)
    if (rates !== this.rates) {
      this.lastKinds = undefined;
      this.lastRate = 0;
    }
    this.context = context;
    this.rates = rates;
    this.spend = spend;
    this.spellingChars = spellingChars;
    this.tool = context.tool;
    this.paths = context.paths;
    this.network = context.network;
    this.enough = context.enough;
  }

  /** Let go of what the reading held (its strings: an argument may be large). */
  release(): void {
    this.context = undefined;
    this.last = undefined;
    emptyKeepingRoom(this.earlier);
    this.earlierSet = undefined;
  }

  kindsOf(s: InspectedString): ReadonlySet<ArgumentKind> {
    const kinds = (this.context as InspectContext).kindsOf(s);
    if (kinds !== this.lastKinds) {
      let rate = 0;
      for (const kind of kinds) rate = Math.max(rate, this.rates[kind] ?? 0);
      this.lastKinds = kinds;
      this.lastRate = rate;
    }
    // A string of kinds the detector does not charge for costs nothing: which strings were
    // charged need not be noted for it.
    if (this.lastRate > 0 && s !== this.last && !this.chargedEarlier(s)) {
      if (this.last !== undefined) this.noteEarlier(this.last);
      this.last = s;
      this.spend(this.lastRate * this.spellingChars(s));
    }
    return kinds;
  }

  private chargedEarlier(s: InspectedString): boolean {
    if (this.earlierSet !== undefined) return this.earlierSet.has(s);
    return this.earlier.includes(s);
  }

  private noteEarlier(s: InspectedString): void {
    if (this.earlierSet !== undefined) {
      this.earlierSet.add(s);
      return;
    }
    const list = this.earlier;
    list.push(s);
    if (list.length > EARLIER_LISTED) this.earlierSet = new Set(list);
  }
}

// Kinds as bits, for chargesFor: a kind not listed (none is) counts as one every detector may charge for.
const KIND_BIT: Readonly<Record<string, number>> = { text: 1, path: 2, url: 4, command: 8, sql: 16 };
const UNLISTED_KIND = 32;

/** A kind's bit in kindBits. */
export function kindBit(kind: ArgumentKind): number {
  return KIND_BIT[kind] ?? UNLISTED_KIND;
}

/** The kinds of some strings together, as bits (for chargesFor). */
export function kindBits(kinds: ReadonlySet<ArgumentKind>): number {
  // Most strings' kinds are a set kindsOf shares: its bits are looked up, the set not read
  // (the last shared set asked about first: the strings of a call mostly share one).
  if (kinds === lastShared) return lastSharedBits;
  const shared = BITS_OF_SHARED.get(kinds);
  if (shared === undefined) return bitsReadOff(kinds);
  lastShared = kinds;
  lastSharedBits = shared;
  return shared;
}

// The shared set kindBits last looked up, and its bits.
let lastShared: ReadonlySet<ArgumentKind> | undefined;
let lastSharedBits = 0;

/** kindBits read off the set itself, kind by kind (the tests compare kindBits with it). */
export function bitsReadOff(kinds: ReadonlySet<ArgumentKind>): number {
  let bits = 0;
  for (const kind of kinds) bits |= KIND_BIT[kind] ?? UNLISTED_KIND;
  return bits;
}

// The bits of each set kindsOf shares, read off once.
const BITS_OF_SHARED: ReadonlyMap<ReadonlySet<ArgumentKind>, number> = new Map(sharedKindSets().map((kinds) => [kinds, bitsReadOff(kinds)]));

/**
 * Whether chargedContext would charge `detector` anything for strings whose kinds together are
 * `bits` (kindBits): when not, the context as it is answers and spends exactly as the charged
 * one would, and none need be made. (Read from CHARGED, worked out once from the rates.)
 */
export function chargesFor(detector: Detector, bits: number): boolean {
  return chargesWith(chargeOf(detector), bits);
}

/** What chargesFor reads of a detector, for a caller that keeps it per detector: its charged kinds (CHARGED), or NOT_CHARGED. */
export function chargeOf(detector: Detector): number {
  return CHARGED[detector.category] ?? NOT_CHARGED;
}

/** chargesFor of a detector whose chargeOf is `charge`. */
export function chargesWith(charge: number, bits: number): boolean {
  if (charge === NOT_CHARGED) return false;
  return (bits & (UNLISTED_KIND | charge)) !== 0 || (charge & CHARGED_ALWAYS) !== 0;
}

// chargeOf for a detector without rates.
const NOT_CHARGED = -1;

/**
 * chargesFor as the rates say it, read afresh each time (the tests compare chargesFor with it):
 * a detector with rates is charged for an unlisted kind, and for a kind it has a rate above 0 for.
 */
export function chargesForByRates(detector: Detector, bits: number): boolean {
  const rates = DETECTOR_STEPS_PER_CHAR[detector.category];
  if (rates === undefined) return false;
  if ((bits & UNLISTED_KIND) !== 0) return true;
  for (const kind in rates) {
    // (A kind with a rate but no bit is charged for: it cannot be told absent.)
    const bit = KIND_BIT[kind];
    if ((bit === undefined || (bits & bit) !== 0) && (rates[kind as ArgumentKind] ?? 0) > 0) return true;
  }
  return false;
}

// Per category with rates, the kind bits it is charged for, and CHARGED_ALWAYS when a kind
// with a rate has no bit of its own (it cannot be told absent).
const CHARGED_ALWAYS = 64;
const CHARGED: Readonly<Partial<Record<string, number>>> = Object.fromEntries(
  Object.entries(DETECTOR_STEPS_PER_CHAR).map(([category, rates]) => {
    let bits = 0;
    for (const [kind, rate] of Object.entries(rates ?? {})) if ((rate ?? 0) > 0) bits |= KIND_BIT[kind] ?? CHARGED_ALWAYS;
    return [category, bits];
  }),
);
