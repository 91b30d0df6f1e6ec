/**
 * The session's inspection, built when it is first needed instead of before the server's
 * first answer. Reading and compiling the shipped rule packs (hundreds of patterns, the
 * definition rules beside them) cost 35-45 ms of CPU at every start, and the answer to
 * `initialize` needs none of it unless the server sends instructions. A start of ten shims
 * on two cores paid that before each of them could answer.
 *
 * No decision is ever made with part of it: every function here builds the whole of what it
 * stands for, synchronously, the first time it is called (a call that arrives early waits
 * for exactly the build it would have waited for at start), and then always hands out the
 * same built function. What is built depends on the policy and the packs alone, never on
 * when it was asked for, so every verdict is what it was when all was built at start. A
 * build that fails fails every time it is asked again, and each use reports it as the built
 * function reports its own failures (a call refused, a result withheld, a definition hidden,
 * an audit text withheld): no decision goes on without it, and none is left unanswered.
 */
import type { CleanDefinitions } from '../config/clean-definitions.js';
import type { CompiledPolicy } from '../config/policy-types.js';
import type { InspectFunction } from '../engine/tool-call.js';
import type { DefinitionScan } from '../engine/tool-list.js';
import type { InspectorEdge, ResultScanFunction } from '../inspect/build.js';
import type { Finding } from '../inspect/types.js';
import type { RuleSet } from '../rules/load-packs.js';

/** What builds a session's inspection (src/inspect/build.ts and the audit's redactor), passed in. */
export interface InspectionBuilders {
  policyRules(policy: CompiledPolicy): RuleSet;
  /** Read and compile the tool-definition steering rules (cached by the builder for the process). */
  definitionRules(): unknown;
  buildInspector(policy: CompiledPolicy, edge: InspectorEdge): InspectFunction;
  buildDefinitionScan(policy: CompiledPolicy, edge: InspectorEdge): DefinitionScan;
  /** What the definition scan gives a definition that scanned clean before (inspect/build.ts); reads no rule. */
  judgeCleanDefinition(definition: unknown, context?: Parameters<DefinitionScan>[1]): Finding[];
  /** A definition's text as the scan keys it (inspect/build.ts). */
  definitionKey(definition: unknown): string | undefined;
  buildResultScan(policy: CompiledPolicy, edge: InspectorEdge): ResultScanFunction | undefined;
  /** Whether the policy asks for any result scan at all (buildResultScan gives undefined when not). */
  scansResults(policy: CompiledPolicy): boolean;
  buildSecretRedactor(rules: RuleSet['rules']): (text: string) => string;
}

/** The inspection as the proxy and the audit use it, each part built on first use. */
export interface SessionInspection {
  inspect: InspectFunction;
  scanDefinition: DefinitionScan;
  /** Absent when the policy asks for no result scan (known from the policy alone, at once). */
  scanResult: ResultScanFunction | undefined;
  redact: (text: string) => string;
  /** The builds, one per step, for the idle warm-up (each a no-op once built). */
  builds: Array<() => void>;
}

// What the audit shows of a text when the secret rules could not be built.
const RULES_UNAVAILABLE = '[REDACTED:secret-rules-unavailable]';

function notBuilt(error: unknown): string {
  return `the inspection's rules could not be built (${error instanceof Error ? error.message : String(error)})`;
}

/** `build` run once, on the first call; its value (or its error) is what every call gets. */
export function once<T>(build: () => T): () => T {
  let state: { done: false } | { done: true; ok: true; value: T } | { done: true; ok: false; error: unknown } = { done: false };
  return () => {
    if (!state.done) {
      try {
        state = { done: true, ok: true, value: build() };
      } catch (error) {
        state = { done: true, ok: false, error };
      }
    }
    if (!state.ok) throw state.error;
    return state.value;
  };
}

/**
 * The session's inspection over `policy`, with `rules` when the start already read the
 * policy's own packs (checked before the server was started), else the shipped ones, read
 * when first needed. `edge` is what buildInspector takes, without the rules. `clean`: the
 * definitions that scanned clean at earlier starts under the same policy and build
 * (config/clean-definitions.ts); one of them is judged without building the scan at all.
 */
export function deferredInspection(policy: CompiledPolicy, rules: RuleSet | undefined, edge: Omit<InspectorEdge, 'rules' | 'cleanDefinitions'>, build: InspectionBuilders, clean?: CleanDefinitions): SessionInspection {
  const ruleSet = once(() => rules ?? build.policyRules(policy));
  const definitionRules = once(() => build.definitionRules());
  const inspector = once(() => build.buildInspector(policy, { ...edge, rules: ruleSet() }));
  const definitionScan = once(() => build.buildDefinitionScan(policy, { realpath: edge.realpath, rules: ruleSet(), ...(clean && { cleanDefinitions: clean }) }));
  const resultScan = once(() => build.buildResultScan(policy, { realpath: edge.realpath, rules: ruleSet() }));
  const redactor = once(() => build.buildSecretRedactor(ruleSet().rules));
  // Each built function reports its own failures rather than throwing (a call refused, a
  // result withheld, a definition hidden): a build that failed is reported the same way, for
  // its throw would escape where nothing expects one (the audit's timer, a server frame) and
  // leave requests unanswered or end the shim.
  const scanResult: ResultScanFunction | undefined = build.scansResults(policy)
    ? (result, known) => {
        let scan: ResultScanFunction | undefined;
        try {
          scan = resultScan();
        } catch (error) {
          return { value: result, changed: false, injection: [], redacted: {}, hidden: {}, failure: notBuilt(error) };
        }
        // scansResults and buildResultScan read the same settings; should they ever disagree,
        // a result is not passed unscanned.
        if (scan === undefined) return { value: result, changed: false, injection: [], redacted: {}, hidden: {}, failure: 'the policy asks for a result scan that could not be built' };
        return scan(result, known);
      }
    : undefined;
  return {
    inspect: (input) => {
      let inspect: InspectFunction;
      try {
        inspect = inspector();
      } catch (error) {
        return { verdict: 'block', findings: [], blocking: [], failure: notBuilt(error) };
      }
      return inspect(input);
    },
    scanDefinition: (definition, context) => {
      if (clean !== undefined) {
        const text = build.definitionKey(definition);
        if (text !== undefined && clean.has(text)) return build.judgeCleanDefinition(definition, context);
      }
      let scan: DefinitionScan;
      try {
        scan = definitionScan();
      } catch (error) {
        return [{ ruleId: 'inspect.failure', category: 'prompt-injection', severity: 'critical', path: '', evidence: '', message: notBuilt(error) }];
      }
      return scan(definition, context);
    },
    scanResult,
    redact: (text) => {
      let redact: (text: string) => string;
      try {
        redact = redactor();
      } catch {
        // Without the secret rules no text can be shown as safe: the whole text is withheld.
        return RULES_UNAVAILABLE;
      }
      return redact(text);
    },
    builds: [ruleSet, definitionRules, inspector, definitionScan, ...(scanResult ? [resultScan] : []), redactor].map((step) => () => void step()),
  };
}
