/**
 * Reading one rule pack: YAML with positions, every rule checked for shape, patterns
 * compiled for the linear engine, validators and detectors resolved. Problems are
 * returned as `file:line:col` issues, never thrown; a rule with any problem is left out.
 */
import { LineCounter, parseDocument, isMap, isSeq, type Document, type Node } from 'yaml';
import { CATEGORIES, SEVERITIES, type ArgumentKind, type Category, type Severity } from '../inspect/types.js';
import { compileLinear } from './linear-regex.js';
import type { CompiledRule, RuleExample, RuleSpec } from './rule-types.js';

const KINDS: readonly ArgumentKind[] = ['path', 'url', 'command', 'sql', 'text'];
const KEYS = new Set(['id', 'category', 'severity', 'description', 'message', 'kinds', 'scope', 'keywords', 'patterns', 'validator', 'detector', 'examples']);
const ID = /^[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+$/;

/** A problem in a pack, with its place. */
export interface PackIssue {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** What a pack may refer to by name. */
export interface RuleRegistry {
  validators: Readonly<Record<string, (match: string) => boolean>>;
  detectors: ReadonlySet<string>;
}

export interface PackResult {
  rules: CompiledRule[];
  issues: PackIssue[];
}

/** Parse and compile the rules of one pack file. */
export function loadPack(file: string, text: string, registry: RuleRegistry): PackResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const issues: PackIssue[] = [];
  const at = (node: Node | null | undefined, message: string): void => {
    const pos = lines.linePos(node?.range?.[0] ?? 0);
    issues.push({ file, line: pos.line, col: pos.col, message });
  };
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const pos = lines.linePos(error.pos[0]);
      issues.push({ file, line: pos.line, col: pos.col, message: error.message.split('\n')[0] ?? error.message });
    }
    return { rules: [], issues };
  }
  const list = doc.get('rules', true) as Node | undefined;
  if (!isSeq(list)) {
    at(doc.contents as Node | null, 'a rule pack needs a list under "rules"');
    return { rules: [], issues };
  }
  const rules: CompiledRule[] = [];
  list.items.forEach((item, index) => {
    const rule = checkRule(doc, index, item as Node, registry, at);
    if (rule) {
      const pos = lines.linePos((item as Node).range?.[0] ?? 0);
      rules.push({ ...rule, source: { file, line: pos.line, col: pos.col } });
    }
  });
  return { rules, issues };
}

type At = (node: Node | null | undefined, message: string) => void;

function checkRule(doc: Document, index: number, node: Node, registry: RuleRegistry, at: At): Omit<CompiledRule, 'source'> | undefined {
  if (!isMap(node)) {
    at(node, `rules[${index}] must be a mapping`);
    return undefined;
  }
  const spec = node.toJSON() as Record<string, unknown>;
  const field = (key: string): Node | undefined => (doc.getIn(['rules', index, key], true) as Node | undefined) ?? node;
  // An unknown key is shown where the key is written, not its value.
  const keyNode = (key: string): Node | undefined => (node.items.find((pair) => (pair.key as { value?: unknown } | null)?.value === key)?.key as Node | undefined) ?? node;
  const name = typeof spec.id === 'string' ? spec.id : `rules[${index}]`;
  let problems = 0;
  const fail = (key: string, message: string, where: Node | undefined = field(key)): void => {
    problems++;
    at(where, `rule ${name}: ${message}`);
  };
  for (const key of Object.keys(spec)) if (!KEYS.has(key)) fail(key, `unknown key "${key}"`, keyNode(key));
  if (typeof spec.id !== 'string' || !ID.test(spec.id)) fail('id', 'id must look like "category.name" (lower case, dots, dashes)');
  if (!CATEGORIES.includes(spec.category as Category)) fail('category', `category must be one of: ${CATEGORIES.join(', ')}`);
  if (!SEVERITIES.includes(spec.severity as Severity)) fail('severity', `severity must be one of: ${SEVERITIES.join(', ')}`);
  if (typeof spec.description !== 'string' || spec.description.trim() === '') fail('description', 'a description is required');
  if (spec.message !== undefined && typeof spec.message !== 'string') fail('message', 'message must be a string');
  if (spec.kinds !== undefined && !(Array.isArray(spec.kinds) && spec.kinds.length > 0 && spec.kinds.every((k) => KINDS.includes(k as ArgumentKind)))) {
    fail('kinds', `kinds must be a list of: ${KINDS.join(', ')}`);
  }
  if (spec.scope !== undefined && spec.scope !== 'data' && spec.scope !== 'any' && spec.scope !== 'results') fail('scope', 'scope must be data, results or any');
  if (spec.keywords !== undefined && !(Array.isArray(spec.keywords) && spec.keywords.every((k) => typeof k === 'string' && k !== '' && k === k.toLowerCase()))) {
    fail('keywords', 'keywords must be a list of non-empty lower-case strings');
  }
  const regexes: RegExp[] = [];
  const hasPatterns = spec.patterns !== undefined;
  if (hasPatterns === (spec.detector !== undefined)) fail(hasPatterns ? 'detector' : 'id', 'a rule has either patterns or a detector, not both or neither');
  if (hasPatterns) {
    if (!Array.isArray(spec.patterns) || spec.patterns.length === 0 || !spec.patterns.every((p) => typeof p === 'string')) {
      fail('patterns', 'patterns must be a non-empty list of strings');
    } else {
      for (const pattern of spec.patterns as string[]) {
        const compiled = compileLinear(pattern);
        if (compiled.ok) regexes.push(compiled.regex);
        else fail('patterns', `${JSON.stringify(pattern)}: ${compiled.message}`);
      }
    }
  }
  if (spec.detector !== undefined && !(typeof spec.detector === 'string' && registry.detectors.has(spec.detector))) {
    fail('detector', `no detector named ${JSON.stringify(spec.detector)} (known: ${[...registry.detectors].join(', ')})`);
  }
  let validate: ((match: string) => boolean) | undefined;
  if (spec.validator !== undefined) {
    validate = typeof spec.validator === 'string' ? registry.validators[spec.validator] : undefined;
    if (!validate) fail('validator', `no validator named ${JSON.stringify(spec.validator)}`);
  }
  const examples = spec.examples as { match?: unknown; nomatch?: unknown } | undefined;
  const isExampleList = (v: unknown): v is RuleExample[] => Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'string' || (typeof e === 'object' && e !== null && 'args' in e));
  if (!examples || !isExampleList(examples.match) || !isExampleList(examples.nomatch)) {
    fail('examples', 'examples.match and examples.nomatch are both required, each a non-empty list (a rule without examples does not load)');
  }
  if (problems > 0) return undefined;
  return { ...(spec as unknown as RuleSpec), regexes, validate };
}
