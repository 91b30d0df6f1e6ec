/**
 * Instruction-likeness of a result (issue 12): prompt-injection rules below the policy's
 * result floor are cues, each ordinary alone (a mail's "if anyone asks, say…", a log's
 * "SYSTEM:" label, legal text's "under no circumstances"). Two different cues in one text
 * are an instruction in data, reported as one finding at high, which the default floor
 * blocks; one cue stays below the floor (the flag band: a policy whose floor is low reports
 * every cue as itself). Counting distinct rules, not matches, keeps a text that repeats one
 * phrase from scoring twice.
 */
import { atLeast, type Finding, type Severity } from '../types.js';
import type { CompiledRule } from '../../rules/rule-types.js';

export const LIKENESS_RULE = 'inject.instruction-likeness';

/** Distinct cues that make a text an instruction in data. */
export const CUES_TO_BLOCK = 2;
const LIKENESS_SEVERITY: Severity = 'high';

/** The cue rules of a rule list: prompt-injection rules the floor would not report. */
export function cueRules(rules: readonly CompiledRule[], floor: Severity): CompiledRule[] {
  return rules.filter((r) => r.category === 'prompt-injection' && !atLeast(r.severity, floor));
}

/** The findings to report for one text: those at the floor, and one for enough distinct cues. */
export function judgeCues(found: readonly Finding[], floor: Severity): Finding[] {
  const reported = found.filter((f) => atLeast(f.severity, floor));
  const cues = new Map<string, Finding>();
  for (const f of found) if (!atLeast(f.severity, floor) && !cues.has(f.ruleId)) cues.set(f.ruleId, f);
  // A floor above high (critical) reports no cluster of cues either.
  if (cues.size < CUES_TO_BLOCK || !atLeast(LIKENESS_SEVERITY, floor)) return reported;
  const seen = [...cues.values()];
  reported.push({
    ruleId: LIKENESS_RULE,
    category: 'prompt-injection',
    severity: LIKENESS_SEVERITY,
    path: seen[0]!.path,
    evidence: seen.map((f) => f.evidence).join(' … ').slice(0, 160),
    message: `The text reads as instructions to its reader (${seen.map((f) => f.ruleId).join(', ')}); data must not steer the model.`,
  });
  return reported;
}
