/** `flow` as written to the CompiledFlow the engine consumes: globs and durations compiled once. */
import { compileGlob, type Matcher } from '../config/globs.js';
import { parseDuration } from '../limits/parse.js';
import type { CompiledFlow, FlowBurst, FlowRule, FlowSpec } from './types.js';

/** The labels Vanguard puts on a session by itself (call-labels.ts, result-labels.ts). */
export const INFERRED_LABELS: readonly string[] = ['sensitive-read', 'untrusted-source', 'egress', 'exec', 'write', 'persistence', 'exec-written'];

/** A rule's name when it gives none: `sensitive-read-then-egress`. */
export function ruleName(after: string, then: string | string[]): string {
  return `${after}-then-${[then].flat().join('-')}`;
}

const US_PER_MS = 1_000;
const NO_LABELS: readonly string[] = Object.freeze([]);
const LABEL_CACHE_SIZE = 1024;
const MAX_CACHED_NAME = 256;

/** Compile a merged, schema-valid `flow` section (durations already checked by the schema). */
export function compileFlow(spec: FlowSpec | undefined): CompiledFlow {
  const rules: FlowRule[] = (spec?.rules ?? []).map((r) => {
    const ms = r.within !== undefined ? parseDuration(r.within) : undefined;
    return Object.freeze({
      id: `flow.${r.name ?? ruleName(r.after, r.then)}`,
      after: r.after,
      then: new Set([r.then].flat()),
      action: r.action,
      ...(ms !== undefined && { withinUs: ms * US_PER_MS, within: r.within }),
      ...(r.reason !== undefined && { reason: r.reason }),
    });
  });
  const b = spec?.burst;
  const burstMs = b !== undefined && b !== 'off' ? parseDuration(b.within) : undefined;
  const burst: FlowBurst | undefined =
    b !== undefined && b !== 'off' && burstMs !== undefined
      ? Object.freeze({ id: 'flow.burst', labels: new Set(b.labels ?? ['exec', 'write']), max: b.max, withinUs: burstMs * US_PER_MS, within: b.within, action: b.action ?? 'ask' })
      : undefined;
  const labelCache = new Map<string, readonly string[]>();
  const globs: Array<{ glob: string; match: Matcher; labels: string[] }> = Object.entries(spec?.labels ?? {}).map(([glob, labels]) => ({ glob, match: compileGlob(glob), labels }));
  return Object.freeze({
    active: rules.length > 0 || burst !== undefined,
    rules: Object.freeze(rules),
    ...(burst && { burst }),
    policyLabels(tool: string): readonly string[] {
      if (globs.length === 0) return NO_LABELS;
      // A session calls a few tools many times: each name's labels are matched once (short names only, a bounded cache).
      const cached = tool.length <= MAX_CACHED_NAME ? labelCache.get(tool) : undefined;
      if (cached !== undefined) return cached;
      const labels = Object.freeze([...new Set(globs.filter((g) => g.match(tool)).flatMap((g) => g.labels))]);
      if (tool.length <= MAX_CACHED_NAME) {
        if (labelCache.size >= LABEL_CACHE_SIZE) labelCache.clear();
        labelCache.set(tool, labels);
      }
      return labels;
    },
  });
}
