// Inspection as it was before it kept a scratch per inspector (issue 13: src/inspect/inspect.ts
// at 46b6cca, imports adjusted, its types taken from the product, with the budget and text
// length of then): a fresh budget, kinds memo and detector contexts per call, every active
// detector called, active categories read per call. The oracle of
// test/inspect/inspect-scratch-equivalence.test.ts. Not used by the product.
/**
 * Inspection of one call's arguments: normalise every string, run the code detectors and
 * the pattern rules, and weigh the findings against the policy's settings per category.
 * Pure: the path context's realpath is the only window on the file system, and it is
 * passed in. Any failure while inspecting blocks the call (invariant 7).
 */
import { DEFAULT_NORMALIZE_LIMITS, type NormalizeLimits } from '../../../src/inspect/normalize/index.js';
import { normalizeArguments, type NormalizeOptions, type NormalizeResult } from './normalize-arguments.js';
import type { CompiledRule } from '../../../src/rules/rule-types.js';
import { kindsOf, type KindHints } from '../../../src/inspect/kinds.js';
import { runPatternRules } from '../../../src/inspect/pattern-rules.js';
import { secretReadings } from './secret-readings.js';
import { CLOCK_EVERY_STEPS, OverBudget, stepLimit, type WorkBudget } from '../../../src/inspect/budget.js';
import { chargedContext, chargesFor, kindBits } from '../../../src/inspect/detector-cost.js';
import { atLeast, CATEGORIES, type ArgumentKind, type Category, type Detector, type Finding, type InspectContext, type InspectedString, type NetworkContext, type PathContext, type Severity } from '../../../src/inspect/types.js';

import { MAX_COMMAND_CHARS, QUICK_PASS_FROM_CHARS, type InspectionInput, type InspectionResult, type Inspector } from '../../../src/inspect/inspect.js';

/** Inspect one call's arguments. Never throws. */
export function referenceInspectArguments(input: InspectionInput, inspector: Inspector): InspectionResult {
  try {
    // Which categories are in play, worked out once per call (it is asked per detector and per
    // finding), and what follows from them alone, kept per inspector (planFor).
    const plan = planFor(inspector, activeBits(inspector.settings, input.exempt));
    const clock = inspector.clock;
    const chars = textLength(input.args);
    const budget = createWorkBudget((inspector.stepLimit ?? stepLimit)(chars), 'inspection', clock && { now: clock.now, lastResortMs: clock.budgetMs });
    try {
      return inspectWithin(input, inspector, plan, budget, chars);
    } finally {
      inspector.onSteps?.(budget.used(), budget.limit);
    }
  } catch (error) {
    if (error instanceof OverBudget) return { verdict: 'block', findings: [], blocking: [], failure: error.message };
    return { verdict: 'block', findings: [], blocking: [], failure: `inspection failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * What a call's inspection takes from its active categories alone: the same for every call
 * with the same categories, so built once per inspector and set of categories, never per call.
 * It holds no state of a call: `blocks` reads the inspector's settings when asked, as a
 * closure made per call did.
 */
interface ActivePlan {
  /** The active categories as bits (activeBits). */
  on: number;
  /**
   * The first finding that blocks the call settles the verdict: nothing after it could
   * change it, so inspection stops there (a flood of attacks costs one attack's time).
   */
  blocks: (f: Finding) => boolean;
  /** The normaliser's options for the quick reading (as sent) and the full one. */
  quick: NormalizeOptions;
  full: NormalizeOptions;
  /**
   * The rules of the active categories, made when first asked: the same array for the same
   * categories, so that what runPatternRules keys on it (the set of rules in play) is built
   * once, not on every call.
   */
  rules?: readonly CompiledRule[];
}

const plans = new WeakMap<Inspector, Map<number, ActivePlan>>();

function planFor(inspector: Inspector, on: number): ActivePlan {
  let byBits = plans.get(inspector);
  if (!byBits) plans.set(inspector, (byBits = new Map()));
  let plan = byBits.get(on);
  if (!plan) {
    const blocks = (f: Finding): boolean => !inspector.exhaustive && f.warnOnly !== true && isOn(on, f.category) && inspector.settings[f.category].action === 'block' && atLeast(f.severity, inspector.settings[f.category].minSeverity);
    byBits.set(on, (plan = { on, blocks, quick: { variants: false, enough: blocks }, full: { enough: blocks } }));
  }
  return plan;
}

// Whether `category` is among the active categories `on` (activeBits).
function isOn(on: number, category: Category): boolean {
  return (on & (1 << (CATEGORY_BIT[category] as number))) !== 0;
}

// Both readings of one call, every step counted against `budget`.
function inspectWithin(input: InspectionInput, inspector: Inspector, plan: ActivePlan, budget: WorkBudget, chars: number): InspectionResult {
  // (spend reads no `this`: the budget's own function is the one handed on.)
  const checkBudget = budget.spend;
  const limits = inspector.limits ?? DEFAULT_NORMALIZE_LIMITS;
  // Large arguments are read as sent first: an attack in plain sight is refused without
  // decoding a megabyte every way first. Nothing found, they are read in full.
  let quick: InspectionResult | undefined;
  if (!inspector.exhaustive && chars >= QUICK_PASS_FROM_CHARS) {
    quick = inspectionPass(input, inspector, normalized(input.args, chars, limits, plan.quick, budget), plan, checkBudget, false);
    if (quick.verdict === 'block') return quick;
  }
  // The rules already read the raw text in the quick pass; the full one adds the decoded spellings.
  const full = inspectionPass(input, inspector, normalized(input.args, chars, limits, plan.full, budget), plan, checkBudget, quick !== undefined);
  if (!quick || quick.findings.length === 0) return full;
  const findings = [...quick.findings, ...full.findings.filter((f) => !quick.findings.some((q) => q.ruleId === f.ruleId && q.path === f.path))];
  return { ...full, findings, verdict: full.verdict === 'allow' ? 'warn' : full.verdict };
}

// Normalise, counting what the normaliser produced (every string and spelling it wrote;
// its own limits bound that) against the budget. `chars`: textLength(args), worked out once per call.
function normalized(args: unknown, chars: number, limits: NormalizeLimits, options: NormalizeOptions, budget: WorkBudget): NormalizeResult {
  budget.spend(chars);
  const result = normalizeArguments(args, limits, options);
  if (result.ok) for (const s of result.strings) budget.spend(spellingChars(s));
  return result;
}

// The characters of a string in all its spellings: what a detector or rule reads of it.
function spellingChars(s: { raw: string; variants: ReadonlyArray<{ text: string }> }): number {
  let n = s.raw.length;
  const variants = s.variants;
  for (let v = 0; v < variants.length; v++) n += (variants[v] as { text: string }).text.length;
  return n;
}

// One reading of normalised arguments: the size bound on commands, the code detectors, then
// the pattern rules, stopping at the first finding that blocks.
function inspectionPass(
  input: InspectionInput,
  inspector: Inspector,
  normalized: NormalizeResult,
  plan: ActivePlan,
  checkBudget: (steps?: number) => void,
  rawRead: boolean,
): InspectionResult {
  const { on, blocks } = plan;
  if (!normalized.ok) return { verdict: 'block', findings: [], blocking: [], failure: normalized.reason };
  // Each string's kinds, kept by the string (a detector asks again). Not by path: a path
  // shows a long key cut, so strings under two keys can share one, and each has its own kinds.
  const kinds = kindsMemo(normalized.strings, input.hints);
  const context: InspectContext = { tool: input.tool, kindsOf: kinds, paths: inspector.paths, network: inspector.network, enough: blocks, spend: checkBudget };
  // What every detector is given to read: charged before it runs, so a detector that reads
  // its input a bounded number of times fits; detectors charge any further work themselves.
  let given = 0;
  // The kinds of all the strings together: a detector that charges for none of them is given
  // the context as it is (a charged one would charge nothing; detectors ask only of these strings).
  let present = 0;
  for (const s of normalized.strings) {
    given += spellingChars(s) + s.path.length;
    present |= kindBits(kinds(s));
  }
  // A command line is read the way a shell reads it, which costs about a microsecond a
  // character; one longer than a shell script anyone reviews is refused, not read.
  const oversized = isOn(on, 'command-injection') ? normalized.strings.find((s) => s.raw.length > MAX_COMMAND_CHARS && kinds(s).has('command')) : undefined;
  if (oversized) {
    return { verdict: 'block', findings: [], blocking: [], failure: `the command in argument "${oversized.path}" is ${oversized.raw.length} characters long; commands over ${MAX_COMMAND_CHARS} are not run through the shell reading and are refused` };
  }
  // (The normaliser's own list, made for this reading and read by nothing else, is added to.)
  const raw: Finding[] = normalized.findings;
  let settled = raw.some(blocks);
  for (let d = 0; !settled && d < inspector.detectors.length; d++) {
    const detector = inspector.detectors[d] as Detector;
    if (!isOn(on, detector.category)) continue;
    checkBudget(given);
    settled = addFindings(raw, detector.inspect(normalized.strings, chargesFor(detector, present) ? chargedContext(detector, context, spellingChars) : context), blocks);
  }
  if (!settled) {
    const rules = rulesInPlay(inspector, plan);
    settled = addFindings(raw, runPatternRules(normalized.strings, rules, kinds, checkBudget, inspector.rules, blocks, rawRead), blocks);
  }
  // Secrets spaced out, grouped, reversed or split across arguments: read again, undone.
  if (!settled && !rawRead && isOn(on, 'secrets')) {
    const secrets = secretRulesOf(inspector);
    const readings = secretReadings(normalized.strings, secrets);
    if (readings.length > 0) addFindings(raw, runPatternRules(readings, secrets, kinds, checkBudget, inspector.rules, blocks), blocks);
  }
  // Every finding the settings act on, and of those the ones that block, in the order found.
  const findings: Finding[] = [];
  const blocking: Finding[] = [];
  for (const f of raw) {
    const setting = inspector.settings[f.category];
    if (!isOn(on, f.category) || !atLeast(f.severity, setting.minSeverity)) continue;
    findings.push(f);
    if (setting.action === 'block' && f.warnOnly !== true) blocking.push(f);
  }
  const verdict = blocking.length > 0 ? 'block' : findings.length > 0 ? 'warn' : 'allow';
  return { verdict, findings, blocking };
}

// Append `found` to `raw`; whether any finding in `raw` now blocks (those before did not).
function addFindings(raw: Finding[], found: readonly Finding[], blocks: (f: Finding) => boolean): boolean {
  let settled = false;
  for (let i = 0; i < found.length; i++) {
    const f = found[i] as Finding;
    raw.push(f);
    if (!settled && blocks(f)) settled = true;
  }
  return settled;
}

// At most this many strings are looked up by a scan of the call's strings; a call with more keeps a Map.
const KINDS_SCANNED_UP_TO = 8;

// kindsOf for the strings of one reading, each string's kinds worked out once, when first
// asked. A call of a few strings keeps them beside its strings (found[i] for strings[i]), not
// in a Map per reading; any other string (of a larger call, or a secret reading made later) is kept in one.
function kindsMemo(strings: readonly InspectedString[], hints: KindHints): (s: InspectedString) => ReadonlySet<ArgumentKind> {
  const count = strings.length <= KINDS_SCANNED_UP_TO ? strings.length : 0;
  const found = new Array<ReadonlySet<ArgumentKind> | undefined>(count);
  let byString: Map<InspectedString, ReadonlySet<ArgumentKind>> | undefined;
  return (s) => {
    for (let i = 0; i < count; i++) if (strings[i] === s) return (found[i] ??= kindsOf(s, hints));
    let kinds = (byString ??= new Map()).get(s);
    if (!kinds) byString.set(s, (kinds = kindsOf(s, hints)));
    return kinds;
  };
}

// Each category's bit in activeBits, by CATEGORIES' order.
const CATEGORY_BIT: Readonly<Record<string, number>> = Object.fromEntries(CATEGORIES.map((c, i) => [c, i]));

// The categories whose action is not off and that the tool is not exempt from, as bits.
function activeBits(settings: Inspector['settings'], exempt: ReadonlySet<Category>): number {
  let bits = 0;
  // (Most tools are exempt from nothing: the set is then not asked per category.)
  const none = exempt.size === 0;
  for (let c = 0; c < CATEGORIES.length; c++) {
    const category = CATEGORIES[c] as Category;
    if (settings[category].action !== 'off' && (none || !exempt.has(category))) bits |= 1 << c;
  }
  return bits;
}

const secretRules = new WeakMap<Inspector, readonly CompiledRule[]>();

// The secret rules of an inspector's set (a stable array, so the keyword index is built once).
function secretRulesOf(inspector: Inspector): readonly CompiledRule[] {
  let rules = secretRules.get(inspector);
  if (!rules) secretRules.set(inspector, (rules = inspector.rules.filter((r) => r.category === 'secrets' && r.regexes.length > 0)));
  return rules;
}

// The rules of the active categories (ActivePlan.rules): all of them when every category is.
function rulesInPlay(inspector: Inspector, plan: ActivePlan): readonly CompiledRule[] {
  if (plan.on === (1 << CATEGORIES.length) - 1) return inspector.rules;
  return (plan.rules ??= inspector.rules.filter((r) => isOn(plan.on, r.category)));
}

// The budget and the text length as they were (src/inspect/budget.ts and text-length.ts at 46b6cca).
function createWorkBudget(limit: number, what: string, clock?: { now(): number; lastResortMs: number }): WorkBudget {
  let used = 0;
  let nextClock = CLOCK_EVERY_STEPS;
  const deadline = clock ? clock.now() + clock.lastResortMs : Infinity;
  return {
    limit,
    used: () => used,
    spend(steps = 1) {
      used += steps;
      if (used > limit) throw new OverBudget(`${what} needed more than its work budget of ${limit} steps`);
      if (clock && used >= nextClock) {
        nextClock = used + CLOCK_EVERY_STEPS;
        if (clock.now() > deadline) throw new OverBudget(`${what} ran past its last-resort time limit of ${clock.lastResortMs} ms`);
      }
    },
  };
}

function textLength(value: unknown, upTo = Infinity, depth = 0): number {
  if (typeof value === 'string') return value.length;
  if (depth > 64 || typeof value !== 'object' || value === null) return 0;
  let total = 0;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    total += textLength(item, upTo - total, depth + 1);
    if (total >= upTo) break;
  }
  return total;
}
