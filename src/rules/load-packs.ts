/**
 * All shipped rule packs (policies/rules/*.yaml) plus a policy's custom rules, as one
 * rule set. Reading the folder is the only I/O here; the caller passes the reader.
 */
import path from 'node:path';
import { loadPack, type PackIssue, type RuleRegistry } from './load-pack.js';
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

/** Load every `.yaml` pack in `dir`, in name order. Duplicate ids are issues. */
export function loadRuleSet(dir: string, reader: PackReader, registry: RuleRegistry): RuleSet {
  const rules: CompiledRule[] = [];
  const issues: PackIssue[] = [];
  const byId = new Map<string, CompiledRule>();
  for (const name of reader.list(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    const file = path.join(dir, name);
    const pack = loadPack(file, reader.read(file), registry);
    issues.push(...pack.issues);
    for (const rule of pack.rules) {
      const earlier = byId.get(rule.id);
      if (earlier) {
        issues.push({ ...rule.source, message: `rule ${rule.id} is already defined at ${earlier.source.file}:${earlier.source.line}` });
        continue;
      }
      byId.set(rule.id, rule);
      rules.push(rule);
    }
  }
  return { rules, byId, issues };
}
