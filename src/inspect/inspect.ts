/**
 * Inspection of one call's arguments: normalise every string, run the code detectors and
 * the pattern rules, and weigh the findings against the policy's settings per category.
 * Pure: the path context's realpath is the only window on the file system, and it is
 * passed in. Any failure while inspecting blocks the call (invariant 7).
 */
import { DEFAULT_NORMALIZE_LIMITS, type NormalizeLimits, type NormalizeOptions, type NormalizeResult } from './normalize/index.js';
import type { CompiledRule } from '../rules/rule-types.js';
import type { KindHints } from './kinds.js';
import { runPatternRules } from './pattern-rules.js';
import { secretReadings } from './secret-readings.js';
import { textLength } from './text-length.js';
import { OverBudget, stepLimit } from './budget.js';
import { CallScratch } from './call-scratch.js';
import { RecentWeakMap } from '../util/recent-weak-map.js';
import { chargedContext, chargeOf, chargesWith, kindBit, kindBits } from './detector-cost.js';
import { anyEnough, atLeast, CATEGORIES, type Category, type Detector, type Finding, type InspectedString, type NetworkContext, type PathContext, type Severity } from './types.js';

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
  /**
   * Report every finding instead of stopping at the first that blocks the call: for callers
   * that filter findings afterwards (the definition scan) and for the rule packs' tests.
   */
  exhaustive?: boolean;
  /**
   * The last resort only: a clock in milliseconds and the wall-clock time one call's
   * inspection may take whatever its work budget says (see budget.ts). Decisions rest on
   * the step budget, which does not depend on how busy the machine is.
   */
  clock?: { now(): number; budgetMs: number };
  /** Steps allowed for an input of so many characters; default stepLimit (budget.ts). */
  stepLimit?: (chars: number) => number;
  /** Told the steps each inspection used (tests, the benchmark). */
  onSteps?: (used: number, limit: number) => void;
}

/** The longest command-line argument (kind `command`) inspection reads; a longer one is refused. */
export const MAX_COMMAND_CHARS = 64 * 1024;


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


/** Arguments of at least this many characters get a quick first reading (as sent, no decoding). */
export const QUICK_PASS_FROM_CHARS = 64 * 1024;

/**
 * The answer for a call nothing was found in (shared and frozen: most calls get it, and no
 * caller changes an answer).
 */
const ALLOWED: InspectionResult = Object.freeze({ verdict: 'allow', findings: Object.freeze([]) as unknown as Finding[], blocking: Object.freeze([]) as unknown as Finding[] });

/** What an inspector keeps between its calls: its plans, and its scratch while no call holds it. */
interface Kept {
  /**
   * The categories whose action is not off, as bits: read from the settings on the first call
   * (an inspector's settings do not change from call to call, see Inspector).
   */
  notOff: number;
  plans: Map<number, ActivePlan>;
  idle: CallScratch | undefined;
  /** The secret rules of the inspector's set, when first asked (secretRulesOf). */
  secretRules: readonly CompiledRule[] | undefined;
  /** The plan last asked for and its categories: calls in a row mostly share them (planFor). */
  lastOn: number;
  lastPlan: ActivePlan | undefined;
}

// (A session inspects with one inspector, call after call: see RecentWeakMap. Its scratch holds nothing of a call.)
const kept = new RecentWeakMap<Inspector, Kept>();

/** Inspect one call's arguments. Never throws. */
export function inspectArguments(input: InspectionInput, inspector: Inspector): InspectionResult {
  let mine: Kept | undefined;
  let scratch: CallScratch | undefined;
  try {
    // Which categories are in play, worked out once per call (it is asked per detector and per
    // finding), and what follows from them alone, kept per inspector (planFor).
    mine = keptFor(inspector);
    const on = activeBits(mine.notOff, input.exempt);
    const plan = planFor(mine, inspector, on);
    // The scratch is taken while the call runs (a call inside it, were there one, makes its own).
    scratch = mine.idle ?? new CallScratch();
    mine.idle = undefined;
    const clock = inspector.clock;
    const chars = textLength(input.args);
    const budget = scratch.budget;
    budget.restart((inspector.stepLimit ?? stepLimit)(chars), clock?.now, clock?.budgetMs ?? 0);
    try {
      return inspectWithin(input, inspector, plan, scratch, chars);
    } finally {
      inspector.onSteps?.(budget.used(), budget.limit);
    }
  } catch (error) {
    if (error instanceof OverBudget) return { verdict: 'block', findings: [], blocking: [], failure: error.message };
    return { verdict: 'block', findings: [], blocking: [], failure: `inspection failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    if (scratch !== undefined) {
      scratch.release();
      (mine as Kept).idle = scratch;
    }
  }
}

function keptFor(inspector: Inspector): Kept {
  let mine = kept.get(inspector);
  if (mine === undefined) kept.set(inspector, (mine = { notOff: notOffBits(inspector.settings), plans: new Map(), idle: undefined, secretRules: undefined, lastOn: 0, lastPlan: undefined }));
  return mine;
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
  /** Per detector of the inspector (by its place in the list), whether its category is active, and its chargeOf. */
  detectorOn: readonly boolean[];
  detectorCharge: readonly number[];
  /** Per detector, the bit (kindBits) of the one kind it reads (Detector.readsOnly), or 0 when it reads any. */
  detectorReads: readonly number[];
  /** Whether commands and secrets are active. */
  commandsOn: boolean;
  secretsOn: boolean;
  /** The secret rules of the inspector's set (the same array for every plan of an inspector). */
  secretRules: readonly CompiledRule[];
  /**
   * The rules of the active categories, made when first asked: the same array for the same
   * categories, so that what runPatternRules keys on it (the set of rules in play) is built
   * once, not on every call.
   */
  rules?: readonly CompiledRule[];
}

function planFor(mine: Kept, inspector: Inspector, on: number): ActivePlan {
  if (mine.lastPlan !== undefined && mine.lastOn === on) return mine.lastPlan;
  let plan = mine.plans.get(on);
  if (!plan) mine.plans.set(on, (plan = newPlan(inspector, on, secretRulesOf(mine, inspector))));
  mine.lastOn = on;
  mine.lastPlan = plan;
  return plan;
}

// (Its own function: the closure it makes keeps a scope that planFor, run per call, then does not.)
function newPlan(inspector: Inspector, on: number, secretRules: readonly CompiledRule[]): ActivePlan {
  const blocks = (f: Finding): boolean => !inspector.exhaustive && f.warnOnly !== true && isOn(on, f.category) && inspector.settings[f.category].action === 'block' && atLeast(f.severity, inspector.settings[f.category].minSeverity);
  const detectorOn = inspector.detectors.map((d) => isOn(on, d.category));
  const detectorCharge = inspector.detectors.map(chargeOf);
  const detectorReads = inspector.detectors.map((d) => (d.readsOnly === undefined ? 0 : kindBit(d.readsOnly)));
  return { on, blocks, quick: { variants: false, enough: blocks }, full: { enough: blocks }, detectorOn, detectorCharge, detectorReads, commandsOn: isOn(on, 'command-injection'), secretsOn: isOn(on, 'secrets'), secretRules };
}

// Whether `category` is among the active categories `on` (activeBits).
function isOn(on: number, category: Category): boolean {
  return (on & (1 << (CATEGORY_BIT[category] as number))) !== 0;
}

// Both readings of one call, every step counted against the scratch's budget.
function inspectWithin(input: InspectionInput, inspector: Inspector, plan: ActivePlan, scratch: CallScratch, chars: number): InspectionResult {
  const limits = inspector.limits ?? DEFAULT_NORMALIZE_LIMITS;
  // Large arguments are read as sent first: an attack in plain sight is refused without
  // decoding a megabyte every way first. Nothing found, they are read in full.
  let quick: InspectionResult | undefined;
  if (!inspector.exhaustive && chars >= QUICK_PASS_FROM_CHARS) {
    quick = inspectionPass(input, inspector, normalized(input.args, chars, limits, plan.quick, scratch), plan, scratch, false);
    if (quick.verdict === 'block') return quick;
  }
  // The rules already read the raw text in the quick pass; the full one adds the decoded spellings.
  // (The quick reading's answer holds nothing of the scratch, which the full one uses again.)
  const full = inspectionPass(input, inspector, normalized(input.args, chars, limits, plan.full, scratch), plan, scratch, quick !== undefined);
  if (!quick || quick.findings.length === 0) return full;
  return bothReadings(quick, full);
}

// The answer of both readings: the quick one's findings, then the full one's not found already.
function bothReadings(quick: InspectionResult, full: InspectionResult): InspectionResult {
  const findings = [...quick.findings, ...full.findings.filter((f) => !quick.findings.some((q) => q.ruleId === f.ruleId && q.path === f.path))];
  return { ...full, findings, verdict: full.verdict === 'allow' ? 'warn' : full.verdict };
}

// Normalise, counting what the normaliser produced (every string and spelling it wrote;
// its own limits bound that) against the budget. `chars`: textLength(args), worked out once per call.
// (The answer is the scratch's normaliser's: good until it reads again.)
function normalized(args: unknown, chars: number, limits: NormalizeLimits, options: NormalizeOptions, scratch: CallScratch): NormalizeResult {
  const budget = scratch.budget;
  budget.spend(chars);
  const result = scratch.normalizer.read(args, limits, options);
  if (result.ok) {
    const strings = result.strings;
    for (let i = 0; i < strings.length; i++) budget.spend(spellingChars(strings[i] as InspectedString));
  }
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
  scratch: CallScratch,
  rawRead: boolean,
): InspectionResult {
  const { on, blocks } = plan;
  if (!normalized.ok) return { verdict: 'block', findings: [], blocking: [], failure: normalized.reason };
  const strings = normalized.strings;
  // (spend reads no `this`: the budget's own function is the one handed on.)
  const checkBudget = scratch.budget.spend;
  // Each string's kinds, kept by the string (a detector asks again). Not by path: a path
  // shows a long key cut, so strings under two keys can share one, and each has its own kinds.
  scratch.kinds.start(strings, input.hints);
  const kinds = scratch.kinds.of;
  const context = scratch.contextFor(input.tool, inspector.paths, inspector.network, blocks);
  // What every detector is given to read: charged before it runs, so a detector that reads
  // its input a bounded number of times fits; detectors charge any further work themselves.
  let given = 0;
  // The kinds of all the strings together: a detector that charges for none of them is given
  // the context as it is (a charged one would charge nothing; detectors ask only of these strings).
  let present = 0;
  // The longest raw text: no string is a command too long to read unless one is that long.
  let longest = 0;
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i] as InspectedString;
    given += spellingChars(s) + s.path.length;
    present |= kindBits(kinds(s));
    if (s.raw.length > longest) longest = s.raw.length;
  }
  // A command line is read the way a shell reads it, which costs about a microsecond a
  // character; one longer than a shell script anyone reviews is refused, not read.
  const oversized = plan.commandsOn && longest > MAX_COMMAND_CHARS ? oversizedCommand(strings, kinds) : undefined;
  if (oversized) {
    return { verdict: 'block', findings: [], blocking: [], failure: `the command in argument "${oversized.path}" is ${oversized.raw.length} characters long; commands over ${MAX_COMMAND_CHARS} are not run through the shell reading and are refused` };
  }
  // (The normaliser's own list, made for this reading and read by nothing else, is added to.)
  const raw: Finding[] = normalized.findings;
  let settled = anyEnough(raw, blocks);
  for (let d = 0; !settled && d < inspector.detectors.length; d++) {
    const detector = inspector.detectors[d] as Detector;
    if (!plan.detectorOn[d]) continue;
    checkBudget(given);
    // A detector that reads one kind of string only, given none of that kind, finds nothing.
    const reads = plan.detectorReads[d] as number;
    if (reads !== 0 && (present & reads) === 0) continue;
    settled = addFindings(raw, detector.inspect(strings, chargesWith(plan.detectorCharge[d] as number, present) ? chargedContext(detector, context, spellingChars, scratch.chargedAt(d)) : context), blocks);
  }
  if (!settled) {
    const rules = rulesInPlay(inspector, plan);
    settled = addFindings(raw, runPatternRules(strings, rules, kinds, checkBudget, inspector.rules, blocks, rawRead), blocks);
  }
  // Secrets spaced out, grouped, reversed or split across arguments: read again, undone.
  if (!settled && !rawRead && plan.secretsOn) {
    const secrets = plan.secretRules;
    const readings = secretReadings(strings, secrets);
    if (readings.length > 0) addFindings(raw, runPatternRules(readings, secrets, kinds, checkBudget, inspector.rules, blocks), blocks);
  }
  if (raw.length === 0) return ALLOWED;
  // Every finding the settings act on, and of those the ones that block, in the order found.
  const findings: Finding[] = [];
  const blocking: Finding[] = [];
  for (const f of raw) {
    const setting = inspector.settings[f.category];
    if (!isOn(on, f.category) || !atLeast(f.severity, setting.minSeverity)) continue;
    findings.push(f);
    if (setting.action === 'block' && f.warnOnly !== true) blocking.push(f);
  }
  if (findings.length === 0) return ALLOWED;
  return { verdict: blocking.length > 0 ? 'block' : 'warn', findings, blocking };
}

// The first string that is a command too long to read (MAX_COMMAND_CHARS), if any.
function oversizedCommand(strings: readonly InspectedString[], kinds: (s: InspectedString) => ReadonlySet<string>): InspectedString | undefined {
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i] as InspectedString;
    if (s.raw.length > MAX_COMMAND_CHARS && kinds(s).has('command')) return s;
  }
  return undefined;
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

// Each category's bit in activeBits, by CATEGORIES' order.
const CATEGORY_BIT: Readonly<Record<string, number>> = Object.fromEntries(CATEGORIES.map((c, i) => [c, i]));

// The categories whose action is not off, as bits.
function notOffBits(settings: Inspector['settings']): number {
  let bits = 0;
  for (let c = 0; c < CATEGORIES.length; c++) if (settings[CATEGORIES[c] as Category].action !== 'off') bits |= 1 << c;
  return bits;
}

// Of the categories `notOff` (notOffBits), those the tool is not exempt from, as bits.
function activeBits(notOff: number, exempt: ReadonlySet<Category>): number {
  // (Most tools are exempt from nothing: the set is then not asked per category.)
  if (exempt.size === 0) return notOff;
  let bits = notOff;
  for (let c = 0; c < CATEGORIES.length; c++) if ((bits & (1 << c)) !== 0 && exempt.has(CATEGORIES[c] as Category)) bits &= ~(1 << c);
  return bits;
}

// The secret rules of an inspector's set (a stable array, so the keyword index is built once).
function secretRulesOf(mine: Kept, inspector: Inspector): readonly CompiledRule[] {
  return (mine.secretRules ??= inspector.rules.filter((r) => r.category === 'secrets' && r.regexes.length > 0));
}

// The rules of the active categories (ActivePlan.rules): all of them when every category is.
function rulesInPlay(inspector: Inspector, plan: ActivePlan): readonly CompiledRule[] {
  if (plan.on === (1 << CATEGORIES.length) - 1) return inspector.rules;
  return (plan.rules ??= inspector.rules.filter((r) => isOn(plan.on, r.category)));
}
