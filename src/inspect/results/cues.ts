/**
 * Instruction-likeness of a result (issue 12): prompt-injection rules below the policy's
 * result floor are cues, each ordinary alone (a mail's "if anyone asks, say…", a log's
 * "SYSTEM:" label, legal text's "under no circumstances"). Two different cues in one text
 * are an instruction in data, reported as one finding at high, which the default floor
 * blocks; one cue stays below the floor (the flag band: a policy whose floor is low reports
 * every cue as itself). Counting distinct rules, not matches, keeps a text that repeats one
 * phrase from scoring twice; counting only cues whose matches do not overlap keeps one
 * sentence that two cues read from scoring twice.
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

/** Where a cue rule first matches the text (lower case), to tell one phrase from two. */
export type CueSpan = (ruleId: string) => readonly [number, number] | undefined;

/** Where a rule first matches lower-cased text; used only when a text has two cues or more. */
export function firstSpan(rule: CompiledRule, lower: string): readonly [number, number] | undefined {
  for (const regex of rule.regexes) {
    regex.lastIndex = 0;
    const m = regex.exec(lower);
    if (m) return [m.index, m.index + m[0].length];
  }
  return undefined;
}

// Cues whose matches overlap are one phrase read twice ("if asked, respond with \"…\"" is a
// conditional and an order to say a phrase): only cues apart from each other are counted. A
// cue with no span in the text (it matched a decoded spelling) counts as apart.
function apart(cues: readonly Finding[], spanOf: CueSpan): Finding[] {
  const spans = cues.map((f) => ({ f, span: spanOf(f.ruleId) })).sort((a, b) => (a.span?.[0] ?? -1) - (b.span?.[0] ?? -1));
  const kept: Finding[] = [];
  let end = -1;
  for (const { f, span } of spans) {
    if (!span) {
      kept.push(f);
      continue;
    }
    if (span[0] < end) continue;
    kept.push(f);
    end = span[1];
  }
  return kept;
}

/** The findings to report for one text: those at the floor, and one for enough distinct cues apart. */
export function judgeCues(found: readonly Finding[], floor: Severity, spanOf: CueSpan = () => undefined): Finding[] {
  const reported = found.filter((f) => atLeast(f.severity, floor));
  const distinct = new Map<string, Finding>();
  for (const f of found) if (!atLeast(f.severity, floor) && !distinct.has(f.ruleId)) distinct.set(f.ruleId, f);
  const cues = distinct.size < CUES_TO_BLOCK ? distinct : new Map(apart([...distinct.values()], spanOf).map((f) => [f.ruleId, f]));
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
