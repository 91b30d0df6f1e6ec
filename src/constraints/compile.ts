/**
 * Compiling `arguments.<tool glob>.constrain` once at load, and checking a call against
 * every constraint of every tool glob that matches its name (they add up: each must hold).
 */
import type { Ajv, ValidateFunction } from 'ajv';
import { newAjv } from '../config/lazy-ajv.js';
import micromatch from 'micromatch';
import { compileLinear } from '../rules/linear-regex.js';
import { compileCommandRule, type CommandRule } from './command-values.js';
import { compileHostRule, hostBreach, type HostRule } from './host-values.js';
import { compilePathRule, describeType, pathStrings, resolvedForms, type PathRule } from './path-values.js';
import { statementKinds } from './statement-values.js';
import type { CompiledConstraints, ConstraintBreach, ConstraintEdge, ConstraintSpec, StatementKind, ToolConstraints } from './types.js';

const NAME_OPTIONS = { dot: true, nonegate: true, noextglob: true, strictBrackets: true } as const;
const NO_RULES: readonly ArgumentRule[] = Object.freeze([]);
/** Tool names whose rules are kept, and the longest name kept (a name can be as long as a frame). */
const RULES_KEPT = 1024;
const RULES_KEPT_NAME_CHARS = 256;

/** One argument-name glob's compiled checks. */
interface ArgumentRule {
  name: string;
  matches(arg: string): boolean;
  literal: boolean;
  required: boolean;
  paths?: PathRule;
  hosts?: HostRule;
  commands?: CommandRule;
  statements?: StatementKind[];
  enumValues?: string[];
  pattern?: RegExp;
  maxLength?: number;
  schema?: ValidateFunction;
}

interface ToolRule {
  glob: string;
  matches(tool: string): boolean;
  args: ArgumentRule[];
  ask: boolean;
}

/** Where relative paths resolve: the roots and cwd of the policy's `paths` section. */
export interface PathBases {
  roots: readonly string[];
  cwd: string;
}

function compileArgument(name: string, spec: ConstraintSpec, edge: ConstraintEdge, ajv: () => Ajv): ArgumentRule {
  // Argument names match without case: a server that reads `Path` as `path` must not slip past.
  const rule: ArgumentRule = { name, matches: micromatch.matcher(name, { ...NAME_OPTIONS, nocase: true }), literal: !/[*?[\]{}]/.test(name), required: spec.required === true };
  if (spec.paths) rule.paths = compilePathRule(spec.paths, edge);
  if (spec.hosts || spec.schemes) rule.hosts = compileHostRule(spec.hosts, spec.schemes);
  if (spec.commands) rule.commands = compileCommandRule(spec.commands, (spec.operators ?? []).includes('pipe'));
  if (spec.statements) rule.statements = [...spec.statements];
  if (spec.enum) rule.enumValues = spec.enum.map((v) => JSON.stringify(v));
  if (spec.pattern !== undefined) {
    const compiled = compileLinear(`^(?:${spec.pattern})$`);
    if (!compiled.ok) throw new Error(compiled.message);
    rule.pattern = new RegExp(compiled.regex.source);
  }
  if (spec.maxLength !== undefined) rule.maxLength = spec.maxLength;
  if (spec.schema !== undefined) rule.schema = ajv().compile(spec.schema);
  return rule;
}

/** Compile the constraints of a policy's `arguments` section. Throws on what validation rules out. */
export function compileConstraints(sections: Record<string, ToolConstraints> | undefined, bases: PathBases, edge: ConstraintEdge): CompiledConstraints {
  let ajvInstance: Ajv | undefined;
  const ajv = (): Ajv => (ajvInstance ??= newAjv({ allErrors: false, strict: false }));
  const tools: ToolRule[] = Object.entries(sections ?? {})
    .filter(([, s]) => s.constrain !== undefined && Object.keys(s.constrain).length > 0)
    .map(([glob, s]) => ({
      glob,
      matches: micromatch.matcher(glob, { ...NAME_OPTIONS }),
      args: Object.entries(s.constrain ?? {}).map(([name, spec]) => compileArgument(name, spec, edge, ajv)),
      ask: s.onBreach === 'ask',
    }));
  // The rules of a tool name, kept per name: every call used to run each tool glob's matcher
  // again. The answer depends on the name alone (the globs are fixed here), so a kept one is the
  // answer; read only. A policy without constraints has none for any name.
  const byTool = new Map<string, readonly ArgumentRule[]>();
  const rulesFor = (tool: string): readonly ArgumentRule[] => {
    if (tools.length === 0) return NO_RULES;
    let rules = byTool.get(tool);
    if (rules === undefined) {
      rules = tools.filter((t) => t.matches(tool)).flatMap((t) => t.args);
      if (tool.length <= RULES_KEPT_NAME_CHARS) {
        if (byTool.size >= RULES_KEPT) byTool.clear();
        byTool.set(tool, rules);
      }
    }
    return rules;
  };
  // A breach of a tool section that says `onBreach: ask` is put to a person instead of refused.
  const asking = new Set(tools.filter((t) => t.ask).flatMap((t) => t.args));
  const marked = (rule: ArgumentRule, breach: ConstraintBreach): ConstraintBreach => (asking.has(rule) ? { ...breach, ask: true } : breach);
  return {
    home: edge.home,
    appliesTo: (tool) => tools.some((t) => t.matches(tool)),
    namedArguments: (tool) => [...new Set(rulesFor(tool).filter((r) => r.literal && r.name !== '*').map((r) => r.name))],
    check(tool, args) {
      const rules = rulesFor(tool);
      if (rules.length === 0) return undefined;
      if (args !== undefined && (args === null || typeof args !== 'object' || Array.isArray(args))) {
        return { ruleId: 'constraint.arguments', reason: `${tool} takes its arguments as an object; they are ${describeType(args)}.` };
      }
      const present = Object.entries((args ?? {}) as Record<string, unknown>);
      for (const rule of rules) {
        const hits = present.filter(([name]) => rule.matches(name));
        if (hits.length === 0 && rule.required) {
          return marked(rule, { ruleId: `constraint.${rule.name}.required`, reason: `${tool} needs the argument "${rule.name}".` });
        }
        for (const [name, value] of hits) {
          const breach = checkValue(tool, name, value, rule, bases, edge);
          if (breach) return marked(rule, breach);
        }
      }
      return undefined;
    },
  };
}

const list = (items: readonly string[]): string => items.join(', ');

// Each kind in a fixed order; the first that fails names the refusal.
function checkValue(tool: string, arg: string, value: unknown, rule: ArgumentRule, bases: PathBases, edge: ConstraintEdge): ConstraintBreach | undefined {
  const fail = (kind: string, why: string, allowed: string): ConstraintBreach => ({
    ruleId: `constraint.${arg}.${kind}`,
    reason: `${tool} ${allowed}; "${arg}" ${why}.`,
  });
  if (rule.paths) {
    const allowed = `may only use paths under ${list(rule.paths.globs)}`;
    const texts = pathStrings(value);
    if (typeof texts === 'string') return fail('paths', texts, allowed);
    for (const text of texts) {
      const forms = resolvedForms(text, bases.roots, bases.cwd, edge);
      if (typeof forms === 'string') return fail('paths', `${forms} ("${text.slice(0, 80)}")`, allowed);
      const outside = forms.find((f) => !rule.paths?.allows(f));
      if (outside !== undefined) return fail('paths', outside === text ? `names ${outside}` : `names ${outside} ("${text.slice(0, 80)}")`, allowed);
    }
  }
  if (rule.hosts) {
    const what = [rule.hosts.hosts && `hosts ${list(rule.hosts.hosts)}`, rule.hosts.schemes && `schemes ${list(rule.hosts.schemes)}`].filter(Boolean).join(' over ');
    const allowed = `may only reach ${what}`;
    const kind = rule.hosts.hosts ? 'hosts' : 'schemes';
    const texts = pathStrings(value);
    if (typeof texts === 'string') return fail(kind, texts.replace('a path or a list of paths', 'a URL or a list of URLs'), allowed);
    for (const text of texts) {
      const why = hostBreach(text, rule.hosts);
      if (why !== undefined) return fail(why.startsWith('uses the scheme') ? 'schemes' : kind, why, allowed);
    }
  }
  if (rule.commands) {
    const allowed = `may only run ${list(rule.commands.commands.map((c) => `"${c}"`))}${rule.commands.pipes ? ' (piped into each other)' : ''}`;
    if (typeof value !== 'string') return fail('commands', `is ${describeType(value)}, not a command line`, allowed);
    const why = rule.commands.breach(value);
    if (why !== undefined) return fail('commands', why, allowed);
  }
  if (rule.statements) {
    const allowed = `may only run SQL statements of kind ${list(rule.statements)}`;
    if (typeof value !== 'string') return fail('statements', `is ${describeType(value)}, not SQL`, allowed);
    const kinds = statementKinds(value);
    if (typeof kinds === 'string') return fail('statements', kinds, allowed);
    const other = kinds.find((k) => !rule.statements?.includes(k));
    if (other !== undefined) return fail('statements', `holds a statement of kind ${other}`, allowed);
  }
  if (rule.enumValues && !rule.enumValues.includes(JSON.stringify(value))) {
    return fail('enum', 'is not one of them', `takes for "${arg}" only ${list(rule.enumValues)}`);
  }
  if (rule.pattern || rule.maxLength !== undefined) {
    const kind = rule.pattern ? 'pattern' : 'maxLength';
    if (typeof value !== 'string') return fail(kind, `is ${describeType(value)}, not a string`, `takes a string for "${arg}"`);
    if (rule.maxLength !== undefined && [...value].length > rule.maxLength) {
      return fail('maxLength', `is ${[...value].length} characters long`, `takes at most ${rule.maxLength} characters for "${arg}"`);
    }
    if (rule.pattern && !rule.pattern.test(value)) return fail('pattern', 'does not match', `takes for "${arg}" only text matching ${rule.pattern.source.slice(4, -2)}`);
  }
  if (rule.schema && !rule.schema(value)) {
    const first = rule.schema.errors?.[0];
    return fail('schema', `does not match (${first ? `${first.instancePath || 'value'} ${first.message ?? ''}`.trim() : 'schema'})`, `takes for "${arg}" only values matching the policy's schema`);
  }
  return undefined;
}
