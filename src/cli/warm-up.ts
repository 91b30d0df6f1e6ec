/**
 * Idle warm-up: what the first tools/call would otherwise build lazily (the rule indexes and
 * their keyword automata, the rules in play, the secret redactor's readings, and the first
 * compilation of the code on that path) is built once the server's initialize answer has
 * gone out, while the client and the model are still busy with it, so the first call costs
 * about what later ones do.
 *
 * It only runs the same pure functions a call runs, on a small fixed harmless input, and
 * throws its results away: every cache it fills is keyed by identity (a rule array) or by
 * content, so a call arriving before it is done builds what it needs itself, as without it,
 * and its decision cannot depend on whether or when the warm-up ran.
 */
import type { CompiledPolicy } from '../config/policy-types.js';
import { policyPaths } from '../engine/policy-paths.js';
import type { InspectFunction } from '../engine/tool-call.js';
import type { DefinitionScan } from '../engine/tool-list.js';
import { labelCall } from '../flow/call-labels.js';
import type { ResultScanFunction } from '../inspect/build.js';

/** What a warm-up reads: the session's own policy, inspection, scans and audit redaction. */
export interface WarmUpTargets {
  policy: CompiledPolicy;
  inspect?: InspectFunction;
  scanResult?: ResultScanFunction;
  scanDefinition?: DefinitionScan;
  redact?: (text: string) => string;
  /** The session's deferred builds (session-inspection.ts), one step each, before the rest. */
  builds?: ReadonlyArray<() => void>;
}

// A typical small call and its answer: a short English sentence, long enough to be scanned.
const SENTENCE = 'Please summarise the notes from the meeting about the quarterly report.';
const NOTES_PATH = 'notes/meetings/quarterly-report.txt';

/** The steps of a warm-up, in order, each one a slice of work of its own. */
export function warmUpSteps(targets: WarmUpTargets): Array<() => void> {
  const { policy, inspect, scanResult, scanDefinition, redact, builds = [] } = targets;
  // Each build on a turn of its own: the rules, then each function over them.
  const steps: Array<() => void> = [...builds];
  if (inspect) steps.push(() => void inspect({ tool: 'warm-up', args: { text: SENTENCE }, hints: {}, exempt: new Set() }));
  // The session flow's path checks, compiled once per policy (src/flow/call-labels.ts).
  if (policy.flow.active) steps.push(() => void labelCall('warm-up', { path: 'notes/meeting.txt', text: SENTENCE }, undefined, { paths: policyPaths(policy), hints: {}, namesWritten: () => undefined }));
  if (scanResult) steps.push(() => void scanResult({ content: [{ type: 'text', text: SENTENCE }] }));
  // The sentence alone would be let through by the redactor's pre-test; a path's run of token
  // characters takes it on to the keyword scan and the readings, which a first call may need.
  if (redact) steps.push(() => void [SENTENCE, NOTES_PATH].forEach((text) => redact(text)));
  // The definition scan caches by a definition's text: one listed with this very text gets
  // from the cache the findings a scan would give it.
  if (scanDefinition && policy.metadata.poisoning !== 'off') steps.push(() => void scanDefinition({ name: 'warm-up', description: SENTENCE, inputSchema: { type: 'object', properties: { text: { type: 'string', description: SENTENCE } } } }));
  return steps;
}

/**
 * How long after the initialize answer the warm-up starts. Shims are often started ten at a
 * time when a client opens: starting at once, the first ones' warm-ups would take the cores
 * from the others' starts. A model's first tool call comes later than this as a rule; one
 * that comes sooner builds what it needs itself.
 */
export const WARM_UP_DELAY_MS = 1000;

/**
 * Start the warm-up of `steps` after {@link WARM_UP_DELAY_MS}. (Not unref'd: an unref'd timer
 * or immediate does not wake an idle loop, and would wait for the next frame, the first call.
 * The shim ends by process.exit, so this never keeps it running.)
 */
export function warmUpLater(steps: ReadonlyArray<() => void>): void {
  setTimeout(() => runWarmUp(steps), WARM_UP_DELAY_MS);
}

/**
 * Run `steps` one per turn of the event loop (`later` schedules the next), so that frames
 * arriving meanwhile are read between them. A step that throws is dropped: the call that
 * needs the same thing builds it itself and meets the same failure there, where it is handled.
 */
export function runWarmUp(steps: ReadonlyArray<() => void>, later: (next: () => void) => void = defaultLater): void {
  let at = 0;
  const next = (): void => {
    const step = steps[at++];
    if (step === undefined) return;
    try {
      step();
    } catch {
      // See above: not this code's to report.
    }
    later(next);
  };
  later(next);
}

// After the I/O already waiting.
function defaultLater(next: () => void): void {
  setImmediate(next);
}
