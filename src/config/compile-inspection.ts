/**
 * The inspection part of a policy, compiled: a setting per category (defaults filled),
 * path roots made absolute, and per-tool overrides matched by glob once per tool name.
 */
import path from 'node:path';
import { CATEGORIES, type ArgumentKind, type Category } from '../inspect/types.js';
import { compileGlob } from './globs.js';
import type { CompiledInspection, DetectorAction, PolicyDocument } from './policy-types.js';

/** Every category blocks by default; a policy turns some off or to warn. */
const DEFAULT_ACTION: DetectorAction = 'block';

/** Compile `detectors`, `paths`, `network` and `arguments`; `cwd` is where relative things resolve. */
export function compileInspection(doc: PolicyDocument, cwd: string): CompiledInspection {
  const settings = Object.fromEntries(
    CATEGORIES.map((category) => {
      const written = doc.detectors?.[category];
      const setting = typeof written === 'string' || written === undefined ? { action: written ?? DEFAULT_ACTION } : written;
      return [category, { action: setting.action, minSeverity: ('minSeverity' in setting && setting.minSeverity) || 'low' }];
    }),
  ) as CompiledInspection['settings'];
  const base = doc.paths?.cwd ? path.resolve(cwd, doc.paths.cwd) : cwd;
  const overrides = Object.entries(doc.arguments ?? {}).map(([glob, override]) => ({ match: compileGlob(glob), override }));
  const cache = new Map<string, ReturnType<CompiledInspection['overridesFor']>>();
  return {
    settings,
    paths: { roots: (doc.paths?.roots ?? []).map((root) => path.resolve(base, root)), deny: [...(doc.paths?.deny ?? [])], cwd: base },
    rulePacks: [...(doc.rulePacks ?? [])],
    network: { allowHosts: (doc.network?.allowHosts ?? []).map((h) => h.toLowerCase()), denyHosts: (doc.network?.denyHosts ?? []).map((h) => h.toLowerCase()) },
    overridesFor(tool) {
      let found = cache.get(tool);
      if (found) return found;
      const exempt = new Set<Category>();
      const kinds = new Map<string, Set<ArgumentKind>>();
      for (const { match, override } of overrides) {
        if (!match(tool)) continue;
        for (const category of override.exempt ?? []) exempt.add(category);
        for (const [name, kind] of Object.entries(override.kinds ?? {})) kinds.set(name, new Set(Array.isArray(kind) ? kind : [kind]));
      }
      found = { exempt, kinds };
      if (cache.size < 10_000) cache.set(tool, found);
      return found;
    },
  };
}
