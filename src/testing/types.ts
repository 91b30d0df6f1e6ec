/**
 * The shapes of `vanguard test`: a test file as loaded (paths resolved), what was observed
 * for one case, and how each case and file came out.
 */

/** How the client's request came back, as proven by the shim's audit file and the answer's shape. */
export type Verdict = 'allowed' | 'blocked' | 'unknown' | 'error';

/** What a case expects. Every key is optional in the file; the loader checks the combination. */
export interface Expectation {
  verdict?: Verdict;
  /** A glob over the rule ids that refused the request (only with `verdict: blocked`). */
  rule?: string;
  contains?: string[];
  notContains?: string[];
  /** Redaction kinds that must appear as `[REDACTED:<kind>]` in the text the client receives. */
  redacted?: string[];
  visible?: string[];
  hidden?: string[];
}

/** One case: a listing check (no request), or a request and what must come back. */
export interface TestCase {
  name: string;
  /** 0-based position in the file's `cases`, for messages. */
  index: number;
  /** Absent for a listing case (visible / hidden only). */
  request?: { method: string; params: Record<string, unknown> };
  expect: Expectation;
}

/** A test file, validated, with every relative path resolved against its folder. */
export interface TestFile {
  /** As named on the command line (for messages and the JUnit suite's name). */
  file: string;
  /** The suite's name: `name` from the file, or the file as named. */
  name: string;
  /** The server's argv: `command`, or `server` split like `--server`. */
  argv: string[];
  /** An absolute policy path, a preset name, or undefined for the shipped default. */
  policy?: string;
  /** Absolute; the test file's folder unless `cwd` says otherwise. */
  cwd: string;
  /** Added to the runner's own environment. */
  env: Record<string, string>;
  cases: TestCase[];
}

/** What the client observed for one request, with the shim's account of it. */
export interface Observation {
  verdict: Verdict;
  /** Rule ids that refused the request (blocked), hid it (unknown), or touched the answer. */
  rules: string[];
  /** Every string the client received in the answer (result or error), joined by newlines. */
  text: string;
  /** One line saying what happened, for the report. */
  summary: string;
}

/** What a listing case observed: the names the client saw, and the names the shim hid. */
export interface ListObservation {
  visible: string[];
  /** Names the shim's audit records say it left out of the list (policy, poisoning, pins). */
  hiddenByShim: string[];
}

/** One expectation that did not hold. */
export interface Mismatch {
  key: keyof Expectation;
  expected: string;
  got: string;
}

/** How one case came out. `error`: it could not be run at all (the server died, no audit record…). */
export interface CaseResult {
  name: string;
  status: 'passed' | 'failed' | 'error';
  /** What the report shows after the name: the verdict and rules, or `listed N tools`. */
  got: string;
  mismatches: Mismatch[];
  /** For status `error`: why. */
  message?: string;
  durationMs: number;
}

/** How one file came out. `startError`: the server (or the shim) did not start; no case ran. */
export interface SuiteResult {
  file: string;
  name: string;
  cases: CaseResult[];
  startError?: string;
  durationMs: number;
  /** When the suite started (ISO 8601), for JUnit's timestamp. */
  startedAt: string;
}
