/**
 * `vanguard test [FILE…] [--junit FILE] [--json] [--filter NAME]`: run declarative test
 * files against real servers behind the policy, and `vanguard test --init` to start one.
 * Exit 0 when every case passed, 1 when one failed, 2 when a file is invalid or a server
 * cannot start.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatIssue, type PolicyIssue } from '../../config/index.js';
import { compileGlob, globProblem, isLiteral } from '../../config/globs.js';
import { VanguardError } from '../../errors.js';
import { renderStarterFile } from '../../testing/init.js';
import { listAllTools, toolsOf } from '../../testing/listing.js';
import { parseTestFile } from '../../testing/load.js';
import { observeList } from '../../testing/observe.js';
import { renderJson } from '../../testing/report-json.js';
import { renderJUnit } from '../../testing/report-junit.js';
import { caseLines, startErrorLines, suiteHeader, summaryLine } from '../../testing/report-text.js';
import { runSuite } from '../../testing/run.js';
import { openShimSession, StartError } from '../../testing/session.js';
import { exitCodeOf } from '../../testing/summary.js';
import type { SuiteResult, TestFile } from '../../testing/types.js';
import { serverArgv } from './start.js';

/** The arguments of `vanguard test`. */
export interface TestArgs {
  files?: string[];
  junit?: string;
  json?: boolean;
  filter?: string;
  init?: boolean;
  server?: string;
  policy?: string;
  '--'?: Array<string | number>;
}

/** The file `vanguard test` reads, and `--init` writes, when none is named. */
export const DEFAULT_TEST_FILE = 'vanguard.test.yaml';

// Read and check every file before anything runs: a typo in the third file should not
// wait for two servers.
function loadAll(files: string[]): { loaded: TestFile[]; issues: PolicyIssue[] } {
  const loaded: TestFile[] = [];
  const issues: PolicyIssue[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      const hint = file === DEFAULT_TEST_FILE ? ` (name a test file, or write one with: vanguard test --init -- <server command>)` : '';
      issues.push({ severity: 'error', file, line: 1, col: 1, field: '', message: `cannot read the test file: ${why}${hint}` });
      continue;
    }
    const result = parseTestFile(file, text, { exists: existsSync });
    issues.push(...result.issues);
    if (result.testFile) loaded.push(result.testFile);
  }
  return { loaded, issues };
}

// --filter: a plain word is a substring of the case name; with glob characters, a glob over the whole name.
function caseFilter(filter: string | undefined): (name: string) => boolean {
  if (filter === undefined) return () => true;
  if (isLiteral(filter)) return (name) => name.includes(filter);
  const problem = globProblem(filter, 'filter on a name instead');
  if (problem) throw new VanguardError('USAGE', `--filter: ${problem}`, 2);
  return compileGlob(filter);
}

function writeReport(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, text);
}

/** Run the test files; returns the exit code. */
export async function testCommand(args: TestArgs): Promise<number> {
  if (args.init) return initCommand(args);
  if (args.server !== undefined || (args['--'] ?? []).length > 0 || args.policy !== undefined) {
    throw new VanguardError('USAGE', '--server, --policy and a command after -- go with --init; a test file names its own server and policy', 2);
  }
  const files = args.files && args.files.length > 0 ? args.files : [DEFAULT_TEST_FILE];
  const { loaded, issues } = loadAll(files);
  if (issues.length > 0) {
    for (const issue of issues) process.stderr.write(`${formatIssue(issue)}\n`);
    process.stderr.write(`${issues.filter((i) => i.severity === 'error').length} error(s); no test was run\n`);
    return 2;
  }
  const selected = caseFilter(args.filter);
  const suites = loaded.map((file) => ({ ...file, cases: file.cases.filter((c) => selected(c.name)) })).filter((file) => file.cases.length > 0);
  if (suites.length === 0) {
    process.stderr.write(`vanguard: no case matches --filter ${JSON.stringify(args.filter)}\n`);
    return 2;
  }
  // With --json, stdout holds the JSON document alone; the progress goes to stderr.
  const out = (line: string): void => void (args.json ? process.stderr : process.stdout).write(`${line}\n`); // stdout-ok: test report
  const t0 = performance.now();
  const results: SuiteResult[] = [];
  for (const file of suites) {
    out(suiteHeader(file));
    const result = await runSuite(file, { onCase: (c) => caseLines(c).forEach(out) });
    if (result.startError !== undefined) startErrorLines(result).forEach(out);
    results.push(result);
  }
  out(summaryLine(results, performance.now() - t0));
  if (args.junit !== undefined) writeReport(args.junit, renderJUnit(results));
  if (args.json) process.stdout.write(renderJson(results)); // stdout-ok: test report
  return exitCodeOf(results);
}

// As the file should name a path: relative to its folder, with ./ so it reads as a path.
function relativeTo(folder: string, target: string): string {
  const rel = path.relative(folder, target) || '.';
  return rel.startsWith('.') || path.isAbsolute(rel) ? rel : `./${rel}`;
}

/** `--init`: list the server's tools through the shim and write a starter file; never overwrites. */
async function initCommand(args: TestArgs): Promise<number> {
  if (args.junit !== undefined || args.json || args.filter !== undefined) throw new VanguardError('USAGE', '--junit, --json and --filter go with running tests, not with --init', 2);
  if ((args.files ?? []).length > 1) throw new VanguardError('USAGE', '--init writes one file: name at most one', 2);
  const target = args.files?.[0] ?? DEFAULT_TEST_FILE;
  if (existsSync(target)) throw new VanguardError('USAGE', `${target} already exists; it was not overwritten (name another file, or remove it first)`, 2);
  const argv = serverArgv(args);
  const folder = path.dirname(path.resolve(target));
  const bare = args.policy !== undefined && !/[\\/]/.test(args.policy) && path.extname(args.policy) === '' && !existsSync(args.policy);
  const policy = args.policy === undefined || bare ? args.policy : path.resolve(args.policy);
  let session;
  try {
    session = await openShimSession({ argv, policy, cwd: process.cwd(), env: {} });
  } catch (error) {
    if (error instanceof StartError) throw new VanguardError('CHILD_START_FAILED', `the server could not start:\n${error.message}`, 2);
    throw error;
  }
  let text: string;
  let counts: string;
  try {
    const pages = await listAllTools(session);
    const seen = observeList(pages);
    if (seen.refused !== undefined) throw new VanguardError('USAGE', seen.refused, 2);
    const tools = toolsOf(pages);
    const hidden = seen.hiddenByShim.filter((name) => !seen.visible.includes(name));
    if (tools.length === 0 && hidden.length === 0) throw new VanguardError('USAGE', 'the server lists no tools: there is nothing to write a starter file from', 2);
    text = renderStarterFile({
      server: args.server !== undefined ? { line: args.server } : { argv },
      ...(policy !== undefined && { policy: bare ? policy : relativeTo(folder, policy) }),
      ...(folder !== process.cwd() && { cwd: relativeTo(folder, process.cwd()) }),
      tools,
      hidden,
    });
    counts = `${tools.length} visible and ${hidden.length} hidden tools, ${tools.length} commented calls`;
  } finally {
    await session.close();
  }
  // 'wx': a file that appeared meanwhile is not overwritten either.
  mkdirSync(folder, { recursive: true });
  writeFileSync(target, text, { flag: 'wx' });
  process.stdout.write(`wrote ${target}: ${counts}\n`); // stdout-ok: CLI output
  return 0;
}
