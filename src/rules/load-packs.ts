/**
 * All shipped rule packs (policies/rules/*.yaml) plus a policy's custom rules, as one
 * rule set. Reading the folder is the only I/O here; the caller passes the reader.
 */
import path from 'node:path';
import { loadPack, type PackIssue, type PackResult, type RuleRegistry } from './load-pack.js';
import type { CompiledRule } from './rule-types.js';

export interface RuleSet {
  rules: CompiledRule[];
  byId: ReadonlyMap<string, CompiledRule>;
  issues: PackIssue[];
}

export interface PackReader {
  list(dir: string): string[];
  read(file: string): string;
}

/** Add one pack's rules and problems to a set; an id already in the set is a problem. */
export function addPack(set: { rules: CompiledRule[]; byId: Map<string, CompiledRule>; issues: PackIssue[] }, pack: PackResult): void {
  set.issues.push(...pack.issues);
  for (const rule of pack.rules) {
    const earlier = set.byId.get(rule.id);
    if (earlier) {
      set.issues.push({ ...rule.source, message: `rule ${rule.id} is already defined at ${earlier.source.file}:${earlier.source.line}` });
      continue;
    }
    set.byId.set(rule.id, rule);
    set.rules.push(rule);
  }
}

/** Load every `.yaml` pack in `dir`, in name order. Duplicate ids are issues. */
export function loadRuleSet(dir: string, reader: PackReader, registry: RuleRegistry): RuleSet {
  const set = { rules: [] as CompiledRule[], byId: new Map<string, CompiledRule>(), issues: [] as PackIssue[] };
  for (const name of reader.list(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    const file = path.join(dir, name);
    addPack(set, loadPack(file, reader.read(file), registry));
  }
  return set;
}
