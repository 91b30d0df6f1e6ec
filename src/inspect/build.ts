/**
 * Assembling the inspector for a session, at the edge: the shipped rule packs (read from
 * policies/rules once), the code detectors, and the policy's settings, with the file
 * system's realpath passed in.
 */
import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { CompiledPolicy } from '../config/policy-types.js';
import { VanguardError } from '../errors.js';
import { serializeStrict } from '../protocol/strict-json.js';
import type { InspectFunction } from '../engine/tool-call.js';
import { addPack, type RuleSet } from '../rules/load-packs.js';
import { loadPack } from '../rules/load-pack.js';
import { loadShippedDefinitionRules, loadShippedRules } from '../rules/shipped.js';
import { judgeSteering, matchSteering, steeringProse, type SteeringMatches } from './definitions/steering.js';
import { inspectArguments, type Inspector } from './inspect.js';
import { DETECTORS, RULE_REGISTRY } from './registry.js';
import { CATEGORIES, type Finding } from './types.js';
import { scanResult, type ResultScanOutcome, type ResultScanner } from './results/scan-result.js';
import { redactionKind } from './results/redact.js';
import { LAST_RESORT_MS } from './budget.js';
import type { DefinitionScan } from '../engine/tool-list.js';

let shipped: RuleSet | undefined;

/** The shipped rule packs, read and compiled once per process. */
export function shippedRules(): RuleSet {
  shipped ??= loadShippedRules(RULE_REGISTRY);
  return shipped;
}

let shippedDefinitions: RuleSet | undefined;

/** The shipped tool-definition steering rules (policies/definitions), read once per process. */
export function shippedDefinitionRules(): RuleSet {
  shippedDefinitions ??= loadShippedDefinitionRules(RULE_REGISTRY);
  return shippedDefinitions;
}

export interface InspectorEdge {
  /** Resolve symlinks as the server will; undefined when the path does not exist. */
  realpath(path: string): string | undefined;
  /** The target of a symlink; undefined when the path is none, null when it does not exist: paths are then also walked as the kernel walks them. */
  readlink?(path: string): string | null | undefined;
  /** The folder the server was started in: relative paths are judged from it too. */
  serverCwd?: string;
  home?: string;
  rules?: RuleSet;
  /** The steering rules of the tool-definition scan; the shipped ones when absent. */
  definitionRules?: RuleSet;
  /** A clock in milliseconds, and the last-resort wall-clock limit of one inspection. */
  now?: () => number;
  budgetMs?: number;
  /**
   * Told the text (JSON) of each definition the scan read that gave no finding and matched no
   * steering rule: what {@link judgeCleanDefinition} then stands in for (config/clean-definitions.ts).
   */
  cleanDefinitions?: { add(text: string): void };
}

/**
 * The edge's readlink: the target of the symlink at `path` as stored; undefined when the
 * path is not a symlink; null when it does not exist or cannot be looked up (a part is a
 * file, no permission), where the kernel's own walk would stop too.
 */
export function symlinkTarget(path: string): string | null | undefined {
  try {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat === undefined) return null;
    return stat.isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return null;
  }
}

/**
 * The last resort: how long inspecting one call may take, whatever its work budget says,
 * before the call is refused. Verdicts rest on the step budget (budget.ts), which counts
 * work and so does not depend on machine load; this limit is far beyond what any counted
 * budget allows, and is there only for work a bug leaves uncounted.
 */
export const INSPECTION_BUDGET_MS = LAST_RESORT_MS;

/** The shipped rules plus the policy's own packs; problems are returned, not thrown. */
export function policyRules(policy: CompiledPolicy, read: (file: string) => string = (file) => readFileSync(file, 'utf8')): RuleSet {
  const shipped = shippedRules();
  if (policy.inspection.rulePacks.length === 0) return shipped;
  const set = { rules: [...shipped.rules], byId: new Map(shipped.byId), issues: [...shipped.issues] };
  for (const file of policy.inspection.rulePacks) {
    let text: string;
    try {
      text = read(file);
    } catch (error) {
      set.issues.push({ file, line: 1, col: 1, message: `cannot read rule pack: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      continue;
    }
    addPack(set, loadPack(file, text, RULE_REGISTRY));
  }
  return set;
}

/** The inspector a policy asks for. Throws when a rule pack has problems (the shipped ones have none: a test). */
export function buildInspector(policy: CompiledPolicy, edge: InspectorEdge): InspectFunction {
  const rules = edge.rules ?? policyRules(policy);
  if (rules.issues.length > 0) {
    const list = rules.issues.map((i) => `${i.file}:${i.line}:${i.col}: ${i.message}`).join('\n');
    throw new VanguardError('RULES_INVALID', `the rule packs have problems:\n${list}`, 1);
  }
  const { settings, paths, network } = policy.inspection;
  const inspector: Inspector = {
    // Rules for what a server returns (scope results) are not read in arguments.
    rules: rules.rules.filter((r) => r.scope !== 'results'),
    detectors: DETECTORS,
    settings,
    paths: { roots: paths.roots, deny: paths.deny, cwd: paths.cwd, home: edge.home ?? homedir(), realpath: edge.realpath, readlink: edge.readlink, serverCwd: edge.serverCwd },
    network,
    clock: { now: edge.now ?? (() => performance.now()), budgetMs: edge.budgetMs ?? INSPECTION_BUDGET_MS },
  };
  return (input) => inspectArguments(input, inspector);
}

/** Bounds on the definition-scan cache: entries, characters of all keys, and of one key. */
export const DEFINITION_CACHE = { entries: 20_000, chars: 16 * 1024 * 1024, maxKeyChars: 256 * 1024 };

/**
 * The scan of tool definitions (tools/list): every string of a definition (name, title,
 * description, schema, annotations, _meta) through the same normaliser, detectors and
 * rules as arguments, every category on; then its prose through the steering rules
 * (policies/definitions) with the names of the tools listed beside it. The first part is
 * cached by the definition's text; a definition that cannot be scanned counts as poisoned
 * (fail closed).
 */
export function buildDefinitionScan(policy: CompiledPolicy, edge: InspectorEdge): DefinitionScan {
  const rules = edge.rules ?? policyRules(policy);
  const steeringRules = edge.definitionRules ?? shippedDefinitionRules();
  if (steeringRules.issues.length > 0) {
    const list = steeringRules.issues.map((i) => `${i.file}:${i.line}:${i.col}: ${i.message}`).join('\n');
    throw new VanguardError('RULES_INVALID', `the tool-definition rules have problems:\n${list}`, 1);
  }
  const inspector: Inspector = {
    // Rules about data steering its reader do not apply to text written for the model.
    rules: rules.rules.filter((r) => r.scope !== 'data' && r.scope !== 'results'),
    detectors: DETECTORS,
    // Every category but personal data: a definition may well name a support address.
    settings: Object.fromEntries(CATEGORIES.map((c) => [c, { action: c === 'pii' ? 'off' : 'block', minSeverity: 'low' }])) as Inspector['settings'],
    paths: { roots: [], deny: [], cwd: policy.inspection.paths.cwd, home: edge.home ?? homedir(), realpath: () => undefined },
    network: policy.inspection.network,
    // Findings are filtered by the metadata floor afterwards, so none may be skipped.
    exhaustive: true,
    clock: { now: edge.now ?? (() => performance.now()), budgetMs: edge.budgetMs ?? INSPECTION_BUDGET_MS },
  };
  // Bounded in entries and in the characters of its keys (a definition's text): a miss only
  // costs a scan again, so the oldest are forgotten.
  const cache = new Map<string, { findings: Finding[]; steering: SteeringMatches | undefined }>();
  let cachedChars = 0;
  const failed = (message: string): Finding => ({ ruleId: 'inspect.failure', category: 'prompt-injection', severity: 'critical', path: '', evidence: '', message });
  return (definition, context) => {
    const key = definitionKey(definition);
    let entry = key === undefined ? undefined : cache.get(key);
    if (!entry) {
      const result = inspectArguments({ tool: '(definition)', args: definition, hints: {}, exempt: new Set() }, inspector);
      let steering: SteeringMatches | undefined;
      let findings = result.failure ? [failed(result.failure)] : result.findings;
      try {
        steering = matchSteering(definition, steeringRules.rules);
      } catch (error) {
        findings = [...findings, failed(`the definition could not be read for steering: ${String(error)}`)];
      }
      entry = { findings, steering };
      if (key !== undefined && findings.length === 0 && steering !== undefined && steering.hits.length === 0) edge.cleanDefinitions?.add(key);
      if (key !== undefined && key.length <= DEFINITION_CACHE.maxKeyChars) {
        cache.set(key, entry);
        cachedChars += key.length;
        while (cache.size > DEFINITION_CACHE.entries || cachedChars > DEFINITION_CACHE.chars) {
          const oldest = cache.keys().next().value as string;
          cache.delete(oldest);
          cachedChars -= oldest.length;
        }
      }
    }
    // What the steering rules found is judged against this listing's tool names each time.
    return entry.steering ? [...entry.findings, ...judgeSteering(definition, entry.steering, context)] : entry.findings;
  };
}

/**
 * A definition's text as the scan's caches key it: strict JSON, where a number the parser kept
 * exactly (a RawNumber) is written as the number it is. JSON.stringify writes one as a string
 * of its digits, the same text as that string, and the two scan differently (a string of digits
 * is decoded as hex). Undefined for what cannot be written so (nothing is kept for it).
 */
export function definitionKey(definition: unknown): string | undefined {
  try {
    return serializeStrict(definition);
  } catch {
    return undefined;
  }
}

/**
 * What the definition scan gives a definition that, under the same policy and rules, gave no
 * finding and matched no steering rule: only what depends on the listing it came in (the
 * names of the other tools, the parameters that ask for the model's context). No rule is read.
 */
export function judgeCleanDefinition(definition: unknown, context?: Parameters<DefinitionScan>[1]): Finding[] {
  return judgeSteering(definition, { prose: steeringProse(definition), hits: [] }, context);
}

/** Scans one result the server returns (see src/inspect/results). */
export type ResultScanFunction = (result: unknown, known?: { plain?: boolean }) => ResultScanOutcome;

/** The last resort for a result scan: the inspection's, plus this much per MiB of text. */
export const RESULT_BUDGET_MS_PER_MIB = 250;

/** Whether the policy asks for any scan of results (policy.results); known without reading a rule. */
export function scansResults(policy: CompiledPolicy): boolean {
  const { injection, secrets, pii, hidden } = policy.results;
  return !(injection.action === 'off' && secrets === 'off' && pii.action === 'off' && hidden === 'off');
}

/** The scan of results the policy asks for (policy.results); undefined when it asks for none. */
export function buildResultScan(policy: CompiledPolicy, edge: InspectorEdge): ResultScanFunction | undefined {
  if (!scansResults(policy)) return undefined;
  const rules = edge.rules ?? policyRules(policy);
  const kinds = new Set<string>(policy.results.pii.kinds);
  const scanner: ResultScanner = {
    settings: policy.results,
    injectionRules: rules.rules.filter((r) => r.category === 'prompt-injection' && r.regexes.length > 0),
    redactionRules: rules.rules.filter((r) => r.regexes.length > 0 && (r.category === 'secrets' || (r.category === 'pii' && kinds.has(redactionKind(r))))),
    allRules: rules.rules,
    clock: { now: edge.now ?? (() => performance.now()), budgetMs: edge.budgetMs ?? INSPECTION_BUDGET_MS, msPerMiB: RESULT_BUDGET_MS_PER_MIB },
  };
  return (result, known) => scanResult(result, scanner, known);
}
