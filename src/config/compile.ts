/**
 * A merged policy document to the CompiledPolicy the engine consumes: globs
 * compiled once here, verdicts cached per tool name.
 */
import type { CompiledPolicy, CompiledResults, PolicyDocument, ToolAction, ToolActionSpec, ToolVerdict } from './policy-types.js';
import { compileGlob, type Matcher } from './globs.js';
import { compileInspection } from './compile-inspection.js';
import { DEFAULT_MAX_FRAME_BYTES, withDefaults } from './merge.js';

/** Verdicts kept per policy; names beyond this evict the oldest, so invented names cannot grow memory. */
export const VERDICT_CACHE_LIMIT = 10_000;

interface CompiledGlob {
  glob: string;
  match: Matcher;
}

interface CompiledAction extends CompiledGlob {
  spec: ToolActionSpec;
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
function toolDecider(tools: NonNullable<PolicyDocument['tools']>): (name: string) => ToolVerdict {
  const deny: CompiledGlob[] = (tools.deny ?? []).map((glob) => ({ glob, match: compileGlob(glob) }));
  const allow: Matcher[] = (tools.allow ?? ['*']).map((glob) => compileGlob(glob));
  const entries = Object.entries(tools.actions ?? {});
  const exact = new Map(entries.map(([glob, a]) => [glob, specOf(a)]));
  const actions: CompiledAction[] = entries.map(([glob, a]) => ({ glob, match: compileGlob(glob), spec: specOf(a) }));

  const withAction = (pattern: string, spec: ToolActionSpec): ToolVerdict =>
    Object.freeze({ visible: true, action: spec.action, ruleId: 'tools.actions', pattern, ...(spec.reason !== undefined && { reason: spec.reason }) });

  return (name) => {
    const denied = deny.find((d) => d.match(name));
    if (denied !== undefined) return Object.freeze({ visible: false, action: 'block', ruleId: 'tools.deny', pattern: denied.glob });
    if (!allow.some((m) => m(name))) return NOT_ALLOWED;
    const spec = exact.get(name);
    if (spec !== undefined) return withAction(name, spec);
    const hit = actions.find((a) => a.match(name));
    return hit === undefined ? ALLOWED_BY_DEFAULT : withAction(hit.glob, hit.spec);
  };
}

/**
 * Compile a merged, valid policy document (as returned in LoadResult.effective;
 * missing settings take their defaults). Throws only on an invalid glob, which
 * loadPolicy has already ruled out.
 */
export function compilePolicy(doc: PolicyDocument, sources: string[], cwd: string = process.cwd()): CompiledPolicy {
  const full = withDefaults(doc);
  const decide = toolDecider(full.tools ?? {});
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
    toolVerdict(name: string): ToolVerdict {
      let verdict = cache.get(name);
      if (verdict === undefined) {
        verdict = decide(name);
        if (cache.size >= VERDICT_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        cache.set(name, verdict);
      }
      return verdict;
    },
    results: compileResults(full.results ?? {}),
    limits: Object.freeze({ maxFrameBytes: full.limits?.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES }),
    audit: Object.freeze({
      stderr: audit.stderr ?? true,
      ...(audit.file !== undefined && { file: audit.file }),
      arguments: audit.arguments ?? 'redacted',
      redactKeys: Object.freeze([...(audit.redactKeys ?? [])]) as string[],
      chain: audit.chain ?? true,
    }),
    sources: Object.freeze([...sources]) as string[],
    inspection: compileInspection(full, cwd),
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
