/**
 * The shipped rule packs. The build turns policies/rules/*.yaml into dist/rules/packs.json
 * (scripts/rule-packs.mjs, with the full loader and its checks); a start reads that JSON and
 * compiles its patterns, which costs a few milliseconds instead of parsing YAML with
 * positions; what each pattern needs (the rule index's cheap pre-test) comes worked out too.
 * From the sources (under vitest) the YAML is read directly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileLinear } from './linear-regex.js';
import { loadRuleSet, type RuleSet } from './load-packs.js';
import type { PackIssue, RuleRegistry } from './load-pack.js';
import { SHAPE_SIZE, shapeNeeds } from './pattern-shape.js';
import { crc32Hex } from '../util/crc32.js';
import { requiredCharsEach, type CharSet } from './required-chars.js';
import type { CompiledRule, RuleSource, RuleSpec } from './rule-types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

/** The shipped rule packs folder (from dist/rules or src/rules). */
export const SHIPPED_RULES_DIR = path.join(root, 'policies', 'rules');
const PREBUILT = path.join(here, 'packs.json');

/** The steering rules read only by the tool-definition scan (policies/definitions). */
export const DEFINITION_RULES_DIR = path.join(root, 'policies', 'definitions');
const PREBUILT_DEFINITIONS = path.join(here, 'definition-packs.json');

/** A rule as the build writes it: its spec, where it was written (relative to the package), and per pattern what it needs (null: nothing known). */
export type PrebuiltRule = RuleSpec & { source: RuleSource; needs?: Array<CharSet[] | null>; shapes?: number[][] };

/** A checked rule as the build writes it (scripts/rule-packs.mjs): the needs of its patterns worked out once, here, instead of at every start. */
export function toPrebuilt(rule: CompiledRule, packageRoot: string): PrebuiltRule {
  const { regexes, validate, needs: _needs, shapes: _shapes, ...spec } = rule;
  return {
    ...spec,
    source: { ...spec.source, file: path.relative(packageRoot, spec.source.file) },
    needs: regexes.map((regex) => requiredCharsEach(regex) ?? null),
    shapes: regexes.map((regex) => [...shapeNeeds(regex)]),
  };
}

/** Compile rules that the build already checked; what no longer resolves is an issue. */
export function compilePrebuilt(specs: PrebuiltRule[], registry: RuleRegistry): RuleSet {
  const rules: CompiledRule[] = [];
  const issues: PackIssue[] = [];
  for (const { needs, shapes, ...spec } of specs) {
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
    // Needs that do not line up one for one with the patterns compiled are not used (the index works them out).
    const known = needs !== undefined && needs.length === regexes.length && regexes.length === (spec.patterns ?? []).length && needs.every(wellFormed);
    const knownShapes = shapes !== undefined && shapes.length === regexes.length && regexes.length === (spec.patterns ?? []).length && shapes.every(wellFormedShape);
    rules.push({ ...spec, regexes, validate, source, ...(known && { needs: needs.map((n) => n ?? undefined) }), ...(knownShapes && { shapes }) });
  }
  return { rules, byId: new Map(rules.map((r) => [r.id, r])), issues };
}

// A pattern's needs as requiredCharsEach gives them: null, or a list of sets of four 32-bit words.
function wellFormed(needs: unknown): needs is CharSet[] | null {
  if (needs === null) return true;
  if (!Array.isArray(needs) || needs.length === 0) return false;
  return needs.every((set: Partial<CharSet> | null) => typeof set === 'object' && set !== null && typeof set.other === 'boolean' && Array.isArray(set.words) && set.words.length === 4 && set.words.every((w) => Number.isInteger(w) && (w | 0) === w));
}

// A pattern's shape needs as shapeNeeds gives them: pairs of an index into a shape and a least value.
function wellFormedShape(needs: unknown): needs is number[] {
  return Array.isArray(needs) && needs.length % 2 === 0 && needs.every((v: unknown, j) => Number.isInteger(v) && (v as number) >= 0 && (j % 2 === 1 || (v as number) < SHAPE_SIZE));
}

/** The shipped rules: from the build's JSON when there is one, else from the YAML. */
export function loadShippedRules(registry: RuleRegistry): RuleSet {
  return loadFrom(PREBUILT, SHIPPED_RULES_DIR, registry);
}

/**
 * The CRC-32 of the prebuilt packs' bytes as they are on disk now (both files), or undefined
 * when either cannot be read: what keys the definitions kept as clean (config/clean-definitions.ts)
 * to these very rules, so that packs damaged or replaced since the build are read (and fail,
 * closed) instead of being stood in for. The build's own id, fixed when it was built, would not tell.
 */
export function shippedPacksFingerprint(): string | undefined {
  try {
    return `${crc32Hex(readFileSync(PREBUILT))}:${crc32Hex(readFileSync(PREBUILT_DEFINITIONS))}`;
  } catch {
    return undefined;
  }
}

/** The shipped tool-definition steering rules, read the same way. */
export function loadShippedDefinitionRules(registry: RuleRegistry): RuleSet {
  return loadFrom(PREBUILT_DEFINITIONS, DEFINITION_RULES_DIR, registry);
}

// The build's JSON when there is one (dist), else the YAML (sources under vitest).
function loadFrom(prebuilt: string, dir: string, registry: RuleRegistry): RuleSet {
  if (existsSync(prebuilt)) {
    const { rules } = JSON.parse(readFileSync(prebuilt, 'utf8')) as { rules: PrebuiltRule[] };
    return compilePrebuilt(rules, registry);
  }
  return loadRuleSet(dir, { list: (d) => readdirSync(d), read: (file) => readFileSync(file, 'utf8') }, registry);
}
