/**
 * Running one test file: start the server behind the shim, run each case in order on the
 * same session, and report each as it finishes.
 */
import { performance } from 'node:perf_hooks';
import { recordFor, type AuditRecord } from './audit-reader.js';
import { matchAnswer, matchList } from './expect.js';
import { observeAnswer, observeList } from './observe.js';
import { listAllTools } from './listing.js';
import { openShimSession, StartError, type ShimSession } from './session.js';
import type { CaseResult, SuiteResult, TestCase, TestFile } from './types.js';

/** Options for {@link runSuite}. */
export interface RunOptions {
  /** Called as each case finishes, for the progress lines. */
  onCase?(result: CaseResult): void;
  /** Starts the session; tests of the runner may pass another. */
  open?: typeof openShimSession;
}

// Verdicts after which the request reached the server, whose answer has its own record.
const FORWARDED = new Set(['forward', 'would-block']);

async function runRequest(session: ShimSession, c: TestCase & { request: NonNullable<TestCase['request']> }): Promise<Omit<CaseResult, 'name' | 'durationMs'>> {
  const exchange = await session.request(c.request.method, c.request.params);
  // No answer (the SDK's 60 s request timeout, or the shim gone): nothing to judge.
  if (exchange.answer === undefined) throw new Error(`no answer to the request: ${exchange.failure ?? 'the session ended'}`);
  const client = await session.audit.waitFor((records) => recordFor(records, 'client', exchange.id, c.request.method), session.ended);
  if (client === undefined) throw new Error(`Vanguard recorded no decision on request ${exchange.id}`);
  let server: AuditRecord | undefined;
  if (FORWARDED.has(client.verdict ?? '')) server = await session.audit.waitFor((records) => recordFor(records, 'server', exchange.id, c.request.method), session.ended);
  const seen = observeAnswer(c.request.method, exchange.answer, client, server);
  const mismatches = matchAnswer(c.expect, seen);
  return { status: mismatches.length > 0 ? 'failed' : 'passed', got: seen.summary, mismatches };
}

async function runListing(session: ShimSession, c: TestCase): Promise<Omit<CaseResult, 'name' | 'durationMs'>> {
  const seen = observeList(await listAllTools(session));
  if (seen.refused !== undefined) return { status: 'failed', got: seen.refused, mismatches: [{ key: 'visible', expected: 'a tool list', got: seen.refused }] };
  const mismatches = matchList(c.expect, seen);
  return { status: mismatches.length > 0 ? 'failed' : 'passed', got: `listed ${seen.visible.length} tools`, mismatches };
}

/** Run every case of `file` against one session; a server that cannot start is `startError`. */
export async function runSuite(file: TestFile, options: RunOptions = {}): Promise<SuiteResult> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const base = { file: file.file, name: file.name, startedAt };
  let session: ShimSession;
  try {
    session = await (options.open ?? openShimSession)({ argv: file.argv, policy: file.policy, cwd: file.cwd, env: file.env });
  } catch (error) {
    const why = error instanceof StartError ? error.message : `unexpected: ${error instanceof Error ? error.message : String(error)}`;
    // Every case is reported as not run, so JUnit still shows one testcase per case.
    const cases = file.cases.map((c): CaseResult => ({ name: c.name, status: 'error', got: 'not run', mismatches: [], message: `could not start the server behind its policy: ${why}`, durationMs: 0 }));
    return { ...base, cases, startError: why, durationMs: performance.now() - t0 };
  }
  const cases: CaseResult[] = [];
  try {
    for (const c of file.cases) {
      const started = performance.now();
      let outcome: Omit<CaseResult, 'name' | 'durationMs'>;
      try {
        outcome = c.request !== undefined ? await runRequest(session, { ...c, request: c.request }) : await runListing(session, c);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const log = session.ended() ? session.stderr().split('\n').slice(-5).join('\n') : '';
        outcome = { status: 'error', got: 'not run to the end', mismatches: [], message: log ? `${message}\n${log}` : message };
      }
      const result: CaseResult = { name: c.name, ...outcome, durationMs: performance.now() - started };
      cases.push(result);
      options.onCase?.(result);
    }
  } finally {
    await session.close();
  }
  return { ...base, cases, durationMs: performance.now() - t0 };
}
