/**
 * A merged policy document to the CompiledPolicy the engine consumes: globs
 * compiled once here, verdicts cached per tool name.
 */
import { homedir } from 'node:os';
import type { AnnotationSelector, CompiledPolicy, CompiledResults, PolicyDocument, ToolAction, ToolActionSpec, ToolSelector, ToolVerdict } from './policy-types.js';
import { describeSelector, hintsKey, selectorMatches } from './annotations.js';
import { compileConstraints } from '../constraints/compile.js';
import type { ConstraintEdge, ToolConstraints } from '../constraints/types.js';
import { compileLimits } from '../limits/compile.js';
import { parseDuration } from '../limits/parse.js';
import { compileFlow } from '../flow/compile.js';
import { compileGlob, type Matcher } from './globs.js';
import { compileInspection } from './compile-inspection.js';
import { DEFAULT_MAX_FRAME_BYTES, withDefaults } from './merge.js';

/** Verdicts kept per policy; names beyond this evict the oldest, so invented names cannot grow memory. */
export const VERDICT_CACHE_LIMIT = 10_000;

interface CompiledGlob {
  glob: string;
  /** Matches a tool by name and, for a selector, by annotations. */
  match: (name: string, annotations: unknown) => boolean;
}

/** What the policy is given from outside at compile time: the file system, home folder and clock. */
export interface PolicyEdge extends ConstraintEdge {
  /** Wall clock in milliseconds, for rate limits and lockout. */
  nowMs(): number;
}

// Without an edge, paths resolve lexically (no symlinks followed) and time is the wall clock.
const LEXICAL_EDGE: PolicyEdge = { realpath: () => undefined, home: homedir(), nowMs: () => Date.now() };

function compileSelector(entry: ToolSelector): CompiledGlob {
  if (typeof entry === 'string') {
    const m: Matcher = compileGlob(entry);
    return { glob: entry, match: (name) => m(name) };
  }
  const selector = entry.annotations;
  return { glob: `annotations${describeSelector(selector)}`, match: (_name, annotations) => selectorMatches(selector, annotations) };
}

function usesAnnotations(tools: NonNullable<PolicyDocument['tools']>): boolean {
  const inList = (list: ToolSelector[] | undefined) => (list ?? []).some((e) => typeof e !== 'string');
  return inList(tools.allow) || inList(tools.deny) || Object.values(tools.actions ?? {}).some((a) => typeof a === 'object' && a.annotations !== undefined);
}

interface CompiledAction {
  glob: string;
  match: Matcher;
  spec: ToolActionSpec;
  annotations?: AnnotationSelector;
}

function specOf(a: ToolAction | ToolActionSpec): ToolActionSpec {
  return typeof a === 'string' ? { action: a } : a;
}

const ALLOWED_BY_DEFAULT: ToolVerdict = Object.freeze({ visible: true, action: 'allow', ruleId: 'default' });
const NOT_ALLOWED: ToolVerdict = Object.freeze({ visible: false, action: 'block', ruleId: 'tools.allow' });

/**
 * Build the tool decision from the tool lists. Order: a deny glob hides;
 * otherwise a tool no allow glob matches is hidden; otherwise an action whose
 * key is exactly the name applies, then the first matching action glob in
 * order; otherwise the tool is allowed.
 */
function toolDecider(tools: NonNullable<PolicyDocument['tools']>): (name: string, annotations: unknown) => ToolVerdict {
  const deny: CompiledGlob[] = (tools.deny ?? []).map(compileSelector);
  const allow: CompiledGlob[] = (tools.allow ?? ['*']).map(compileSelector);
  const entries = Object.entries(tools.actions ?? {});
  const actions: CompiledAction[] = entries.map(([glob, a]) => ({ glob, match: compileGlob(glob), spec: specOf(a), ...(typeof a === 'object' && a.annotations && { annotations: a.annotations }) }));
  const fits = (a: CompiledAction, annotations: unknown) => a.annotations === undefined || selectorMatches(a.annotations, annotations);

  const withAction = (pattern: string, spec: ToolActionSpec): ToolVerdict =>
    Object.freeze({ visible: true, action: spec.action, ruleId: 'tools.actions', pattern, ...(spec.reason !== undefined && { reason: spec.reason }) });

  return (name, annotations) => {
    const denied = deny.find((d) => d.match(name, annotations));
    if (denied !== undefined) return Object.freeze({ visible: false, action: 'block', ruleId: 'tools.deny', pattern: denied.glob });
    if (!allow.some((a) => a.match(name, annotations))) return NOT_ALLOWED;
    const exact = actions.find((a) => a.glob === name && fits(a, annotations));
    if (exact !== undefined) return withAction(name, exact.spec);
    const hit = actions.find((a) => a.match(name) && fits(a, annotations));
    return hit === undefined ? ALLOWED_BY_DEFAULT : withAction(hit.glob, hit.spec);
  };
}

/**
 * Compile a merged, valid policy document (as returned in LoadResult.effective;
 * missing settings take their defaults). Throws only on an invalid glob, which
 * loadPolicy has already ruled out.
 */
export function compilePolicy(doc: PolicyDocument, sources: string[], cwd: string = process.cwd(), edge: PolicyEdge = LEXICAL_EDGE): CompiledPolicy {
  const full = withDefaults(doc);
  const decide = toolDecider(full.tools ?? {});
  const byAnnotations = usesAnnotations(full.tools ?? {});
  const inspection = compileInspection(full, cwd);
  const cache = new Map<string, ToolVerdict>();
  const audit = full.audit ?? {};
  return Object.freeze({
    mode: full.mode ?? 'enforce',
    onBlock: full.onBlock ?? 'result',
    validateArguments: full.tools?.validateArguments ?? false,
    pinning: Object.freeze({
      ...(full.pinning?.lock !== undefined && { lock: full.pinning.lock }),
      onChanged: full.pinning?.onChanged ?? 'hide',
      onNew: full.pinning?.onNew ?? 'warn',
      onRenamed: full.pinning?.onRenamed ?? 'hide',
      onRemoved: full.pinning?.onRemoved ?? 'warn',
      trustOnFirstUse: full.pinning?.trustOnFirstUse ?? false,
    }),
    metadata: Object.freeze({ poisoning: full.metadata?.poisoning ?? 'hide', minSeverity: full.metadata?.minSeverity ?? 'high' }),
    selectsByAnnotations: byAnnotations,
    namedTools: Object.freeze([
      ...(full.tools?.deny ?? []).filter((e): e is string => typeof e === 'string').map((glob) => ({ where: 'tools.deny' as const, glob, match: compileGlob(glob) })),
      ...Object.keys(full.tools?.actions ?? {}).map((glob) => ({ where: 'tools.actions' as const, glob, match: compileGlob(glob) })),
    ]),
    toolVerdict(name: string, annotations?: unknown): ToolVerdict {
      // With selectors the verdict depends on the hints too; they are few, so the key stays small.
      const key = byAnnotations ? `${name}\u0000${hintsKey(annotations)}` : name;
      let verdict = cache.get(key);
      if (verdict === undefined) {
        verdict = decide(name, annotations);
        if (cache.size >= VERDICT_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        cache.set(key, verdict);
      }
      return verdict;
    },
    results: compileResults(full.results ?? {}),
    limits: Object.freeze({ maxFrameBytes: full.limits?.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES }),
    callLimits: compileLimits(full.limits, edge.nowMs),
    approval: Object.freeze({ timeoutMs: parseDuration(full.approval?.timeout ?? '2m') ?? 120_000, ttlMs: parseDuration(full.approval?.ttl ?? '10m') ?? 600_000 }),
    flow: compileFlow(full.flow),
    constraints: compileConstraints(full.arguments as Record<string, ToolConstraints> | undefined, inspection.paths, edge),
    audit: Object.freeze({
      stderr: audit.stderr ?? true,
      ...(audit.file !== undefined && { file: audit.file }),
      arguments: audit.arguments ?? 'redacted',
      redactKeys: Object.freeze([...(audit.redactKeys ?? [])]) as string[],
      chain: audit.chain ?? true,
    }),
    sources: Object.freeze([...sources]) as string[],
    inspection,
  });
}

// The results section with every default filled in (scalars are the short form of { action }).
function compileResults(results: NonNullable<PolicyDocument['results']>): CompiledResults {
  const injection = typeof results.injection === 'object' ? results.injection : { action: results.injection ?? 'block' };
  const pii = typeof results.pii === 'object' ? results.pii : { action: results.pii ?? 'redact' };
  return Object.freeze({
    injection: Object.freeze({ action: injection.action, minSeverity: injection.minSeverity ?? 'medium' }),
    secrets: results.secrets ?? 'redact',
    pii: Object.freeze({ action: pii.action, kinds: Object.freeze([...(pii.kinds ?? ['payment-card', 'iban', 'national-id'])]) }),
    hidden: results.hidden ?? 'strip',
  });
}
