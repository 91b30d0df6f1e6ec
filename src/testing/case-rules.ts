/**
 * The meaning of a test file, after its shape: one way to name the server, and cases whose
 * expectations can be checked and do not contradict each other. A case that could never
 * pass, or that would pass whatever happened, is an error before anything runs.
 */
import { errorAt, type PolicyIssue } from '../config/issues.js';
import { locate, type FieldPath, type ParsedFile } from '../config/parse.js';
import { globProblem } from '../config/globs.js';
import { splitCommand } from '../cli/split-command.js';
import type { Expectation, TestCase, Verdict } from './types.js';

/** A case as the schema lets it through. */
export interface RawCase {
  name: string;
  call?: { tool: string; arguments?: Record<string, unknown> };
  method?: string;
  params?: Record<string, unknown>;
  expect: Record<string, unknown>;
}

/** A test file as the schema lets it through. */
export interface RawTestFile {
  name?: string;
  server?: string;
  command?: string[];
  policy?: string;
  cwd?: string;
  env?: Record<string, string>;
  cases: RawCase[];
}

const REQUEST_KEYS = ['verdict', 'rule', 'contains', 'notContains', 'redacted'] as const;
const LIST_KEYS = ['visible', 'hidden'] as const;

const list = (value: unknown): string[] | undefined => (value === undefined ? undefined : Array.isArray(value) ? value.map(String) : [String(value)]);

/** The server's argv from `server` or `command`, or the issue saying why there is none. */
export function serverOf(p: ParsedFile, raw: RawTestFile, issues: PolicyIssue[]): string[] | undefined {
  if (raw.server !== undefined && raw.command !== undefined) {
    issues.push(errorAt(locate(p, ['command'], 'key'), 'give the server either as "server" (a command line) or as "command" (a list), not both'));
    return undefined;
  }
  if (raw.command !== undefined) return raw.command;
  if (raw.server === undefined) {
    issues.push(errorAt(locate(p, [], 'key'), 'say which server to run: server: "npx -y @modelcontextprotocol/server-filesystem ./data", or command: [node, server.js]'));
    return undefined;
  }
  const split = splitCommand(raw.server);
  if (!split.ok) {
    issues.push(errorAt(locate(p, ['server']), `"server": ${split.message}`));
    return undefined;
  }
  return split.argv;
}

/** Check one case and turn it into a TestCase; problems go to `issues`. */
export function checkCase(p: ParsedFile, raw: RawCase, index: number, issues: PolicyIssue[]): TestCase | undefined {
  const at = (path: FieldPath, target: 'key' | 'value' = 'key') => locate(p, ['cases', index, ...path], target);
  const before = issues.length;
  const fail = (path: FieldPath, message: string, target: 'key' | 'value' = 'key') => issues.push(errorAt(at(path, target), message));
  const e = raw.expect;
  const expect: Expectation = {
    verdict: e.verdict as Verdict | undefined,
    rule: e.rule as string | undefined,
    contains: list(e.contains),
    notContains: list(e.notContains),
    redacted: list(e.redacted),
    visible: list(e.visible),
    hidden: list(e.hidden),
  };
  let request: TestCase['request'];
  if (raw.call !== undefined && raw.method !== undefined) fail(['method'], 'give either "call" (a tools/call) or "method" with "params", not both');
  else if (raw.params !== undefined && raw.method === undefined) fail(['params'], '"params" belong to a request: add "method" (e.g. resources/read), or use "call" for a tool');
  else if (raw.call !== undefined) request = { method: 'tools/call', params: { name: raw.call.tool, arguments: raw.call.arguments ?? {} } };
  else if (raw.method !== undefined) request = { method: raw.method, params: raw.params ?? {} };

  const isRequest = raw.call !== undefined || raw.method !== undefined;
  if (isRequest) {
    for (const key of LIST_KEYS) {
      if (e[key] !== undefined) fail(['expect', key], `"${key}" is checked on the tool list: put it in a case of its own, without "call" or "method"`);
    }
    if (expect.verdict === undefined) fail(['expect'], 'say how the request must come back: "verdict" is one of allowed, blocked, unknown, error');
  } else {
    for (const key of REQUEST_KEYS) {
      if (e[key] !== undefined) fail(['expect', key], `"${key}" is checked on the answer to a request: add "call" (a tool) or "method"`);
    }
    if (expect.visible === undefined && expect.hidden === undefined) fail(['expect'], 'nothing to check: give "visible" or "hidden" tools, or a "call" with a "verdict"');
  }
  if (expect.rule !== undefined) {
    if (expect.verdict !== 'blocked') fail(['expect', 'rule'], '"rule" names the rules that refused the request: it goes with verdict: blocked');
    const problem = globProblem(expect.rule, 'list the rule id instead');
    if (problem) fail(['expect', 'rule'], problem, 'value');
  }
  if (expect.redacted !== undefined && (expect.verdict === 'blocked' || expect.verdict === 'unknown')) {
    fail(['expect', 'redacted'], `"redacted" is checked in the server's answer, and with verdict: ${expect.verdict} the server never answers`);
  }
  for (const c of expect.contains ?? []) {
    const clash = (expect.notContains ?? []).find((n) => c.includes(n));
    if (clash !== undefined) fail(['expect', 'notContains'], `contradicts "contains": text containing ${JSON.stringify(c)} always contains ${JSON.stringify(clash)}`);
  }
  for (const name of expect.visible ?? []) {
    if ((expect.hidden ?? []).includes(name)) fail(['expect', 'hidden'], `${JSON.stringify(name)} cannot be both visible and hidden`);
  }
  if (issues.length > before || (isRequest && request === undefined)) return undefined;
  return { name: raw.name, index, ...(request !== undefined && { request }), expect };
}

/** Case names are how reports, JUnit and --filter tell cases apart: each once per file. */
export function checkUniqueNames(p: ParsedFile, cases: RawCase[], issues: PolicyIssue[]): void {
  const seen = new Map<string, number>();
  cases.forEach((c, index) => {
    const first = seen.get(c.name);
    if (first === undefined) seen.set(c.name, index);
    else issues.push(errorAt(locate(p, ['cases', index, 'name']), `the case name ${JSON.stringify(c.name)} is already used by cases[${first}]`));
  });
}
