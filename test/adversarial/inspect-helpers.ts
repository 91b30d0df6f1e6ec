/** An inspector as a session builds it, fed frames parsed by the shim's own strict parser. */
import { shippedRules } from '../../src/inspect/build.js';
import { inspectArguments, type Inspector, type InspectionResult } from '../../src/inspect/inspect.js';
import { DETECTORS } from '../../src/inspect/registry.js';
import { CATEGORIES, type Category, type PathContext } from '../../src/inspect/types.js';
import { parseStrict } from '../../src/protocol/strict-json.js';

/** Every category blocking from `low` up, as the default policy does. */
export function inspector(paths: Partial<PathContext> = {}): Inspector {
  return {
    rules: shippedRules().rules,
    detectors: DETECTORS,
    settings: Object.fromEntries(CATEGORIES.map((c) => [c, { action: 'block', minSeverity: 'low' }])) as Inspector['settings'],
    paths: { roots: [], deny: [], cwd: '/srv/data', home: '/home/user', realpath: () => undefined, ...paths },
    network: { allowHosts: [], denyHosts: [] },
  };
}

/** Inspect the arguments written as JSON text, parsed exactly as the shim parses a frame. */
export function inspectJson(json: string, with_: Inspector = inspector()): InspectionResult {
  const parsed = parseStrict(json);
  if (!parsed.ok) throw new Error(`test input is not JSON: ${parsed.message}`);
  return inspectArguments({ tool: 't', args: parsed.value, hints: {}, exempt: new Set() }, with_);
}

/** The rule ids of the findings that block, sorted and unique. */
export function blockingRules(result: InspectionResult): string[] {
  return [...new Set(result.blocking.map((f) => f.ruleId))].sort();
}

/** The categories of the findings that block. */
export function blockingCategories(result: InspectionResult): Set<Category> {
  return new Set(result.blocking.map((f) => f.category));
}
