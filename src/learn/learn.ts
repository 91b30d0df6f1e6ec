/**
 * `policy learn`: from the decision records of real sessions, the least-privilege policy
 * that allows exactly what was seen. Tools used become tools.allow; per tool and argument,
 * the paths seen become `paths` (a folder becomes `folder/*` only when two or more files in
 * it were seen, otherwise the exact path), hosts and schemes become `hosts`/`schemes`, command
 * lines become argv globs (a masked secret word becomes `*`, and the summary says so), SQL
 * statement kinds become `statements`. Pure: records in, policy and summary out.
 */
import path from 'node:path';
import type { ConstraintSpec, StatementKind } from '../constraints/types.js';
import type { PolicyDocument } from '../config/policy-types.js';
import { MASK, type ArgumentFacts } from './facts.js';

/** What was learned, with the notes a reviewer reads before using it. */
export interface Learned {
  policy: PolicyDocument;
  summary: string[];
}

interface ArgSeen {
  paths: Set<string>;
  hosts: Set<string>;
  schemes: Set<string>;
  commands: Map<string, string[][]>;
  statements: Set<StatementKind>;
  shell: Set<string>;
}

interface ToolSeen {
  calls: number;
  withoutFacts: number;
  args: Map<string, ArgSeen>;
}

const LEARNED_VERDICTS = new Set(['forward', 'would-block']);

/** Glob syntax escaped, so a name or path matches only itself. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]{}()!\\]/g, '\\$&');
}

// Paths folded to their folder only where the session showed several files in it.
function foldPaths(paths: Set<string>): string[] {
  const byParent = new Map<string, string[]>();
  for (const p of paths) {
    const parent = path.posix.dirname(p);
    byParent.set(parent, [...(byParent.get(parent) ?? []), p]);
  }
  const out: string[] = [];
  for (const [parent, children] of byParent) {
    if (children.length >= 2 && parent !== '/') out.push(`${escapeGlob(parent)}/*`);
    else out.push(...children.map(escapeGlob));
  }
  return out.sort();
}

function argSeen(tool: ToolSeen, name: string): ArgSeen {
  let a = tool.args.get(name);
  if (!a) tool.args.set(name, (a = { paths: new Set(), hosts: new Set(), schemes: new Set(), commands: new Map(), statements: new Set(), shell: new Set() }));
  return a;
}

function addFacts(a: ArgSeen, facts: ArgumentFacts): void {
  for (const p of facts.paths ?? []) a.paths.add(p);
  for (const h of facts.hosts ?? []) a.hosts.add(h);
  for (const s of facts.schemes ?? []) a.schemes.add(s);
  for (const line of facts.commands ?? []) a.commands.set(JSON.stringify(line), line);
  for (const k of facts.statements ?? []) a.statements.add(k as StatementKind);
  for (const c of facts.shell ?? []) a.shell.add(c);
}

/** Learn from parsed audit records (one object per line). */
export function learnPolicy(records: ReadonlyArray<Record<string, unknown>>): Learned {
  const tools = new Map<string, ToolSeen>();
  let skipped = 0;
  for (const r of records) {
    if (r.method !== 'tools/call' || typeof r.tool !== 'string') continue;
    if (!LEARNED_VERDICTS.has(String(r.verdict))) {
      skipped++;
      continue;
    }
    let t = tools.get(r.tool);
    if (!t) tools.set(r.tool, (t = { calls: 0, withoutFacts: 0, args: new Map() }));
    t.calls++;
    const detail = r.detail as { learn?: Record<string, ArgumentFacts> } | undefined;
    const learn = detail?.learn;
    if (!learn || typeof learn !== 'object') {
      if (r.args !== undefined && r.args !== null && !(typeof r.args === 'object' && Object.keys(r.args).length === 0)) t.withoutFacts++;
      continue;
    }
    for (const [name, facts] of Object.entries(learn)) addFacts(argSeen(t, name), facts);
  }

  const summary: string[] = [];
  const args: NonNullable<PolicyDocument['arguments']> = {};
  const names = [...tools.keys()].sort();
  for (const name of names) {
    const t = tools.get(name) as ToolSeen;
    const constrain: Record<string, ConstraintSpec> = {};
    const notes: string[] = [];
    for (const [arg, a] of [...t.args].sort(([x], [y]) => x.localeCompare(y))) {
      const spec: ConstraintSpec = {};
      if (a.paths.size > 0) spec.paths = foldPaths(a.paths);
      if (a.hosts.size > 0) spec.hosts = [...a.hosts].sort().map(escapeGlob);
      if (a.schemes.size > 0) spec.schemes = [...a.schemes].sort();
      if (a.commands.size > 0) {
        const lines = [...a.commands.values()];
        const spaced = lines.some((line) => line.some((cmd) => cmd.some((w) => /\s/.test(w) || w === '')));
        if (spaced) notes.push(`"${arg}": a command word held a space; commands not constrained`);
        else {
          const argv = new Set<string>();
          let masked = 0;
          for (const line of lines) for (const cmd of line) argv.add(cmd.map((w) => (w === MASK ? (masked++, '*') : escapeGlob(w))).join(' '));
          spec.commands = [...argv].sort();
          if (lines.some((l) => l.length > 1)) spec.operators = ['pipe'];
          if (a.shell.size > 0) notes.push(`"${arg}": command lines used ${[...a.shell].join(' ')}, which a constraint never allows: those calls will be refused (run them as separate calls, or leave the tool unconstrained)`);
          if (masked > 0) notes.push(`"${arg}": ${masked} secret-looking command word(s) became "*" (any one word there)`);
        }
      }
      if (a.statements.size > 0) spec.statements = [...a.statements].sort();
      if (Object.keys(spec).length > 0) {
        constrain[arg] = spec;
        const what = Object.entries(spec).map(([k, v]) => `${k}: ${(v as unknown[]).join(', ')}`);
        notes.push(`"${arg}": ${what.join('; ')}`);
      }
    }
    if (t.withoutFacts > 0) notes.push(`${t.withoutFacts} call(s) carried no learnable facts (arguments redacted, hashed or omitted by an older audit): their arguments are not constrained`);
    if (Object.keys(constrain).length > 0) args[escapeGlob(name)] = { constrain };
    summary.push(`${name}: allowed (${t.calls} call${t.calls === 1 ? '' : 's'} seen)`, ...notes.map((n) => `  ${n}`));
  }
  if (skipped > 0) summary.push(`${skipped} call(s) refused in the session were not learned (a refused call is not widened into an allowed one)`);
  if (names.length === 0) summary.push('no tools/call was seen: the learned policy hides every tool');
  const policy: PolicyDocument = {
    extends: 'default',
    mode: 'enforce',
    tools: { allow: names.map(escapeGlob) },
    ...(Object.keys(args).length > 0 && { arguments: args }),
  };
  return { policy, summary };
}
