/**
 * The shipped rule packs. The build turns policies/rules/*.yaml into dist/rules/packs.json
 * (scripts/rule-packs.mjs, with the full loader and its checks); a start reads that JSON and
 * compiles its patterns, which costs a few milliseconds instead of parsing YAML with
 * positions. From the sources (under vitest) the YAML is read directly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileLinear } from './linear-regex.js';
import { loadRuleSet, type RuleSet } from './load-packs.js';
import type { PackIssue, RuleRegistry } from './load-pack.js';
import type { CompiledRule, RuleSource, RuleSpec } from './rule-types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

/** The shipped rule packs folder (from dist/rules or src/rules). */
export const SHIPPED_RULES_DIR = path.join(root, 'policies', 'rules');
const PREBUILT = path.join(here, 'packs.json');

/** The steering rules read only by the tool-definition scan (policies/definitions). */
export const DEFINITION_RULES_DIR = path.join(root, 'policies', 'definitions');
const PREBUILT_DEFINITIONS = path.join(here, 'definition-packs.json');

/** Compile rules that the build already checked; what no longer resolves is an issue. */
export function compilePrebuilt(specs: Array<RuleSpec & { source: RuleSource }>, registry: RuleRegistry): RuleSet {
  const rules: CompiledRule[] = [];
  const issues: PackIssue[] = [];
  for (const spec of specs) {
    const source = { ...spec.source, file: path.resolve(root, spec.source.file) };
    const regexes: RegExp[] = [];
    for (const pattern of spec.patterns ?? []) {
      const compiled = compileLinear(pattern);
      if (compiled.ok) regexes.push(compiled.regex);
      else issues.push({ ...source, message: `rule ${spec.id}: ${compiled.message}` });
    }
    const validate = spec.validator === undefined ? undefined : registry.validators[spec.validator];
    if (spec.validator !== undefined && !validate) issues.push({ ...source, message: `rule ${spec.id}: no validator named "${spec.validator}"` });
    if (spec.detector !== undefined && !registry.detectors.has(spec.detector)) issues.push({ ...source, message: `rule ${spec.id}: no detector named "${spec.detector}"` });
    rules.push({ ...spec, regexes, validate, source });
  }
  return { rules, byId: new Map(rules.map((r) => [r.id, r])), issues };
}

/** The shipped rules: from the build's JSON when there is one, else from the YAML. */
export function loadShippedRules(registry: RuleRegistry): RuleSet {
  return loadFrom(PREBUILT, SHIPPED_RULES_DIR, registry);
}

/** The shipped tool-definition steering rules, read the same way. */
export function loadShippedDefinitionRules(registry: RuleRegistry): RuleSet {
  return loadFrom(PREBUILT_DEFINITIONS, DEFINITION_RULES_DIR, registry);
}

// The build's JSON when there is one (dist), else the YAML (sources under vitest).
function loadFrom(prebuilt: string, dir: string, registry: RuleRegistry): RuleSet {
  if (existsSync(prebuilt)) {
    const { rules } = JSON.parse(readFileSync(prebuilt, 'utf8')) as { rules: Array<RuleSpec & { source: RuleSource }> };
    return compilePrebuilt(rules, registry);
  }
  return loadRuleSet(dir, { list: (d) => readdirSync(d), read: (file) => readFileSync(file, 'utf8') }, registry);
}
