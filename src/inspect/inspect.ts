/**
 * Inspection of one call's arguments: normalise every string, run the code detectors and
 * the pattern rules, and weigh the findings against the policy's settings per category.
 * Pure: the path context's realpath is the only window on the file system, and it is
 * passed in. Any failure while inspecting blocks the call (invariant 7).
 */
import { DEFAULT_NORMALIZE_LIMITS, normalizeArguments, type NormalizeLimits } from './normalize/index.js';
import type { CompiledRule } from '../rules/rule-types.js';
import { kindsOf, type KindHints } from './kinds.js';
import { runPatternRules } from './pattern-rules.js';
import { atLeast, type Category, type Detector, type Finding, type InspectContext, type NetworkContext, type PathContext, type Severity } from './types.js';

/** What the policy says about one category. */
export interface CategorySetting {
  action: 'off' | 'warn' | 'block';
  /** Findings below this severity are not acted on. */
  minSeverity: Severity;
}

/** Everything inspection needs that does not change from call to call. */
export interface Inspector {
  rules: readonly CompiledRule[];
  detectors: readonly Detector[];
  settings: Readonly<Record<Category, CategorySetting>>;
  paths: PathContext;
  network: NetworkContext;
  limits?: NormalizeLimits;
  /** A clock in milliseconds and the time one call's inspection may take; past it, the call is refused. */
  clock?: { now(): number; budgetMs: number };
}

/** Thrown when inspection runs past its time budget; the call is refused. */
class OverBudget extends Error {}

/** One call to inspect. */
export interface InspectionInput {
  tool: string;
  args: unknown;
  hints: KindHints;
  /** Categories the policy exempts this tool from. */
  exempt: ReadonlySet<Category>;
}

export interface InspectionResult {
  verdict: 'allow' | 'warn' | 'block';
  /** Every finding the settings act on, blocking or not. */
  findings: Finding[];
  /** The findings that block the call (empty unless verdict is block). */
  blocking: Finding[];
  /** Why the call was blocked without a finding: a limit, or an error while inspecting. */
  failure?: string;
}


/** Inspect one call's arguments. Never throws. */
export function inspectArguments(input: InspectionInput, inspector: Inspector): InspectionResult {
  try {
    const normalized = normalizeArguments(input.args, inspector.limits ?? DEFAULT_NORMALIZE_LIMITS);
    if (!normalized.ok) return { verdict: 'block', findings: [], blocking: [], failure: normalized.reason };
    const cache = new Map<string, ReturnType<typeof kindsOf>>();
    const kinds = (s: (typeof normalized.strings)[number]) => {
      const key = `${s.isKey ? 'k' : 'v'}${s.path}`;
      let found = cache.get(key);
      if (!found) cache.set(key, (found = kindsOf(s, input.hints)));
      return found;
    };
    const active = (category: Category) => inspector.settings[category].action !== 'off' && !input.exempt.has(category);
    const context: InspectContext = { tool: input.tool, kindsOf: kinds, paths: inspector.paths, network: inspector.network };
    const clock = inspector.clock;
    const deadline = clock ? clock.now() + clock.budgetMs : Infinity;
    const checkBudget = (): void => {
      if (clock && clock.now() > deadline) throw new OverBudget(`inspection took longer than ${clock.budgetMs} ms`);
    };
    const raw: Finding[] = [...normalized.findings];
    for (const detector of inspector.detectors) {
      if (active(detector.category)) raw.push(...detector.inspect(normalized.strings, context));
      checkBudget();
    }
    const allActive = input.exempt.size === 0 && Object.values(inspector.settings).every((setting) => setting.action !== 'off');
    const rules = allActive ? inspector.rules : inspector.rules.filter((r) => active(r.category));
    raw.push(...runPatternRules(normalized.strings, rules, kinds, checkBudget, inspector.rules));

    const findings = raw.filter((f) => active(f.category) && atLeast(f.severity, inspector.settings[f.category].minSeverity));
    const blocking = findings.filter((f) => inspector.settings[f.category].action === 'block');
    const verdict = blocking.length > 0 ? 'block' : findings.length > 0 ? 'warn' : 'allow';
    return { verdict, findings, blocking };
  } catch (error) {
    if (error instanceof OverBudget) return { verdict: 'block', findings: [], blocking: [], failure: error.message };
    return { verdict: 'block', findings: [], blocking: [], failure: `inspection failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
