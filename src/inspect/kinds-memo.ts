/**
 * The kinds of the strings of one reading (kindsOf), each string's worked out once, when
 * first asked (a detector asks again). Kept by its owner and started again for each reading,
 * so that a call makes no memo of its own.
 */
import { kindsOf, type KindHints } from './kinds.js';
import type { ArgumentKind, InspectedString } from './types.js';

// At most this many strings are looked up by a scan of the reading's strings; a reading with more keeps a Map.
const KINDS_SCANNED_UP_TO = 8;
const NO_STRINGS: readonly InspectedString[] = [];
const NO_HINTS: KindHints = {};

export class KindsMemo {
  private strings: readonly InspectedString[] = NO_STRINGS;
  private hints: KindHints = NO_HINTS;
  private count = 0;
  // found[i]: the kinds of strings[i], for a reading of a few strings.
  private readonly found = new Array<ReadonlySet<ArgumentKind> | undefined>(KINDS_SCANNED_UP_TO).fill(undefined);
  // Any other string (of a larger reading, or a secret reading made later).
  private byString: Map<InspectedString, ReadonlySet<ArgumentKind>> | undefined = undefined;

  /** The kinds of `s` (a function of its own: it is handed on as InspectContext.kindsOf). */
  readonly of = (s: InspectedString): ReadonlySet<ArgumentKind> => {
    const strings = this.strings;
    const found = this.found;
    for (let i = 0; i < this.count; i++) if (strings[i] === s) return (found[i] ??= kindsOf(s, this.hints));
    let kinds = (this.byString ??= new Map()).get(s);
    if (!kinds) this.byString.set(s, (kinds = kindsOf(s, this.hints)));
    return kinds;
  };

  /** Start on a reading of `strings` with `hints`: nothing asked before is kept. */
  start(strings: readonly InspectedString[], hints: KindHints): void {
    this.release();
    this.strings = strings;
    this.hints = hints;
    this.count = strings.length <= KINDS_SCANNED_UP_TO ? strings.length : 0;
  }

  /** Let go of the reading's strings (kept by the owner between calls: an argument may be large). */
  release(): void {
    const found = this.found;
    for (let i = 0; i < this.count; i++) found[i] = undefined;
    this.count = 0;
    this.strings = NO_STRINGS;
    this.hints = NO_HINTS;
    this.byString = undefined;
  }
}
