/**
 * How a policy combines with the policies it extends, and the defaults that
 * fill whatever no file says.
 */
import type { PolicyDocument, ToolAction, ToolActionSpec, ToolSelector } from './policy-types.js';

/** 64 MiB, the frame limit when a policy sets none. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Every setting's default; the base under every merged policy. */
export const DEFAULTS: Readonly<PolicyDocument> = Object.freeze<PolicyDocument>({
  mode: 'enforce',
  onBlock: 'result',
  tools: { allow: ['*'], deny: [], actions: {}, validateArguments: false },
  metadata: { poisoning: 'hide', minSeverity: 'high' },
  results: {
    injection: { action: 'block', minSeverity: 'medium' },
    secrets: 'redact',
    pii: { action: 'redact', kinds: ['payment-card', 'iban', 'national-id'] },
    hidden: 'strip',
  },
  limits: { maxFrameBytes: DEFAULT_MAX_FRAME_BYTES },
  approval: { timeout: '2m', ttl: '10m' },
  audit: { stderr: true, arguments: 'redacted', redactKeys: [], chain: true },
  flow: {
    labels: {},
    rules: [
      { name: 'sensitive-read-then-egress', after: 'sensitive-read', then: 'egress', action: 'ask' },
      { name: 'untrusted-then-exec', after: 'untrusted-source', then: ['exec', 'persistence'], action: 'ask' },
      { name: 'write-then-exec', after: 'write', then: 'exec-written', action: 'ask' },
      { name: 'persistence-then-callback', after: 'persistence', then: ['egress', 'exec'], action: 'ask' },
    ],
    burst: { labels: ['exec', 'write'], max: 30, within: '1m', action: 'ask' },
  },
  detectors: {
    'path-traversal': 'block',
    'command-injection': 'block',
    'sql-injection': 'block',
    ssrf: 'block',
    secrets: 'block',
    'prompt-injection': 'block',
    'hidden-characters': 'block',
    pii: 'off',
  },
});

// Union keeping first occurrences in order: base entries, then new ones.
function union<T extends ToolSelector>(base: T[] | undefined, over: T[] | undefined): T[] | undefined {
  if (base === undefined && over === undefined) return undefined;
  const seen = new Set<string>();
  return [...(base ?? []), ...(over ?? [])].filter((e) => {
    const key = typeof e === 'string' ? e : JSON.stringify(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// The extending file's entries first, so they are tried first when matching.
function mergeActions(
  base: Record<string, ToolAction | ToolActionSpec> | undefined,
  over: Record<string, ToolAction | ToolActionSpec> | undefined,
): Record<string, ToolAction | ToolActionSpec> | undefined {
  if (base === undefined && over === undefined) return undefined;
  const out: Record<string, ToolAction | ToolActionSpec> = { ...over };
  for (const [glob, action] of Object.entries(base ?? {})) if (!(glob in out)) out[glob] = action;
  return out;
}

// Drop undefined members so rendered YAML and deep equality stay clean.
function compact<T extends object>(o: T): T | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as T);
}

/**
 * `over` extends `base`. Scalars: `over` wins. `tools.allow`: `over` replaces.
 * `tools.deny`, `audit.redactKeys`: union (a base's deny is never dropped).
 * `tools.actions`: merged map, `over`'s entries win and come first.
 * `detectors`, `arguments`: merged key by key, `over` wins. `paths.roots`,
 * `network.allowHosts`: `over` replaces. `paths.deny`, `network.denyHosts`: union.
 * `results`: key by key, `over` wins (a whole `pii` or `injection` setting at once).
 * `flow.labels`: merged glob by glob, `over` wins. `flow.rules`, `flow.burst`: `over`
 * replaces (write the whole list you want; `rules: []` and `burst: off` turn the defaults off).
 * `$schema` and `extends` are consumed by loading and not carried over.
 */
export function mergePolicies(base: PolicyDocument, over: PolicyDocument): PolicyDocument {
  const merged: PolicyDocument = {
    mode: over.mode ?? base.mode,
    onBlock: over.onBlock ?? base.onBlock,
    tools: compact({
      allow: over.tools?.allow ?? base.tools?.allow,
      deny: union(base.tools?.deny, over.tools?.deny),
      actions: mergeActions(base.tools?.actions, over.tools?.actions),
      validateArguments: over.tools?.validateArguments ?? base.tools?.validateArguments,
    }),
    approval: compact({ timeout: over.approval?.timeout ?? base.approval?.timeout, ttl: over.approval?.ttl ?? base.approval?.ttl }),
    limits: compact({
      maxFrameBytes: over.limits?.maxFrameBytes ?? base.limits?.maxFrameBytes,
      rate: over.limits?.rate || base.limits?.rate ? compact({ session: over.limits?.rate?.session ?? base.limits?.rate?.session, tools: over.limits?.rate?.tools || base.limits?.rate?.tools ? { ...base.limits?.rate?.tools, ...over.limits?.rate?.tools } : undefined }) : undefined,
      lockout: over.limits?.lockout ?? base.limits?.lockout,
    }),
    detectors: compact({ ...base.detectors, ...over.detectors }),
    paths: compact({
      roots: over.paths?.roots ?? base.paths?.roots,
      deny: union(base.paths?.deny, over.paths?.deny),
      cwd: over.paths?.cwd ?? base.paths?.cwd,
    }),
    network: compact({
      allowHosts: over.network?.allowHosts ?? base.network?.allowHosts,
      denyHosts: union(base.network?.denyHosts, over.network?.denyHosts),
    }),
    arguments: compact({ ...base.arguments, ...over.arguments }),
    rulePacks: union(base.rulePacks, over.rulePacks),
    pinning: compact({
      lock: over.pinning?.lock ?? base.pinning?.lock,
      onChanged: over.pinning?.onChanged ?? base.pinning?.onChanged,
      onNew: over.pinning?.onNew ?? base.pinning?.onNew,
      onRenamed: over.pinning?.onRenamed ?? base.pinning?.onRenamed,
      onRemoved: over.pinning?.onRemoved ?? base.pinning?.onRemoved,
      trustOnFirstUse: over.pinning?.trustOnFirstUse ?? base.pinning?.trustOnFirstUse,
    }),
    results: compact({
      injection: over.results?.injection ?? base.results?.injection,
      secrets: over.results?.secrets ?? base.results?.secrets,
      pii: over.results?.pii ?? base.results?.pii,
      hidden: over.results?.hidden ?? base.results?.hidden,
    }),
    metadata: compact({ poisoning: over.metadata?.poisoning ?? base.metadata?.poisoning, minSeverity: over.metadata?.minSeverity ?? base.metadata?.minSeverity }),
    flow: compact({
      labels: over.flow?.labels || base.flow?.labels ? { ...base.flow?.labels, ...over.flow?.labels } : undefined,
      rules: over.flow?.rules ?? base.flow?.rules,
      burst: over.flow?.burst ?? base.flow?.burst,
    }),
    audit: compact({
      stderr: over.audit?.stderr ?? base.audit?.stderr,
      file: over.audit?.file ?? base.audit?.file,
      arguments: over.audit?.arguments ?? base.audit?.arguments,
      redactKeys: union(base.audit?.redactKeys, over.audit?.redactKeys),
      chain: over.audit?.chain ?? base.audit?.chain,
    }),
  };
  return compact(merged) ?? {};
}

/** A merged policy with every default filled in: what actually applies. */
export function withDefaults(doc: PolicyDocument): PolicyDocument {
  return mergePolicies(structuredClone(DEFAULTS) as PolicyDocument, doc);
}
