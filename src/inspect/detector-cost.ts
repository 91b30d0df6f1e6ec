/**
 * What a code detector's reading of one string costs in budget steps (see budget.ts), per
 * character of the string in all its spellings, by the kind that makes the detector read it.
 * Charged when the detector first asks what kinds a string is (it asks before it reads), so
 * the budget stops a call before the work, not after. Rates are the detectors' measured cost
 * on ordinary text of that kind relative to one regex pass (one step); denser input costs
 * them more, which the detectors count themselves through `InspectContext.spend`.
 */
import type { ArgumentKind, Category, Detector, InspectContext, InspectedString } from './types.js';

/** Steps per character, by detector category and the kind of string it reads. */
export const DETECTOR_STEPS_PER_CHAR: Readonly<Partial<Record<Category, Partial<Record<ArgumentKind, number>>>>> = {
  'command-injection': { command: 128 },
  'sql-injection': { sql: 64 },
  'path-traversal': { path: 32 },
  ssrf: { url: 32, command: 32, text: 16 },
};

/** The context one detector is given: its kindsOf charges each string once, at its rate. */
export function chargedContext(detector: Detector, context: InspectContext, spellingChars: (s: InspectedString) => number): InspectContext {
  const rates = DETECTOR_STEPS_PER_CHAR[detector.category];
  const spend = context.spend;
  if (rates === undefined || spend === undefined) return context;
  // Detectors mostly ask about each string once, or several times in a row: the last one
  // asked is kept apart, and a set is made only when a detector comes back to an earlier one.
  let last: InspectedString | undefined;
  let earlier: Set<InspectedString> | undefined;
  // The rate of the last kinds asked about: strings in a row mostly share one set of kinds.
  let lastKinds: ReadonlySet<ArgumentKind> | undefined;
  let lastRate = 0;
  return {
    tool: context.tool,
    paths: context.paths,
    network: context.network,
    enough: context.enough,
    spend,
    kindsOf(s) {
      const kinds = context.kindsOf(s);
      if (kinds !== lastKinds) {
        let rate = 0;
        for (const kind of kinds) rate = Math.max(rate, rates[kind] ?? 0);
        lastKinds = kinds;
        lastRate = rate;
      }
      // A string of kinds the detector does not charge for costs nothing: which strings were
      // charged need not be noted for it.
      if (lastRate > 0 && s !== last && earlier?.has(s) !== true) {
        if (last !== undefined) (earlier ??= new Set()).add(last);
        last = s;
        spend(lastRate * spellingChars(s));
      }
      return kinds;
    },
  };
}
