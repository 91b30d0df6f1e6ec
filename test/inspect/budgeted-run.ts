/**
 * One run of the pattern rules (the product's or the reference's) under a step limit, as the
 * quiet-string equivalence tests compare them: the findings and steps counted, or that the
 * budget refused. The whole shipped rule set is the set `rules` are taken from.
 */
import { shippedRules } from '../../src/inspect/build.js';
import type { runPatternRules } from '../../src/inspect/pattern-rules.js';
import type { ArgumentKind, Finding, InspectedString } from '../../src/inspect/types.js';
import type { CompiledRule } from '../../src/rules/rule-types.js';

const all = shippedRules().rules;

export interface Run {
  findings: Finding[];
  steps: number;
  refused: boolean;
}

export function budgetedRun(impl: typeof runPatternRules, input: InspectedString[], rules: readonly CompiledRule[], kinds: (s: InspectedString) => ReadonlySet<ArgumentKind>, limit = Infinity): Run {
  let steps = 0;
  try {
    const findings = impl(input, rules, kinds, (n = 1) => {
      steps += n;
      if (steps > limit) throw new RangeError('over');
    }, all, () => false);
    return { findings, steps, refused: false };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { findings: [], steps: 0, refused: true };
  }
}
