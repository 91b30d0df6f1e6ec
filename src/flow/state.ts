/**
 * What a session remembers for its flow rules, kept beside the session state (keyed by it).
 * Bounded by construction: for each label only the latest event that put it (a rule needs
 * no more: the latest is the one inside any window), the times of the last `burst.max`
 * labelled calls, and the files the session wrote. What a call in flight leads its result to
 * label is kept with the request itself (src/engine/pending-requests.ts, expectResult), and
 * goes when the request does. Each table has a fixed size; one that is full makes the flow
 * check fail closed.
 */
import type { Labelled } from './call-labels.js';
import type { LabelEvent } from './types.js';
import { RecentWeakMap } from '../util/recent-weak-map.js';

/** The fixed sizes of a session's flow memory. */
export const FLOW_LIMITS = {
  /** Distinct labels remembered (the inferred ones plus the policy's own). */
  labels: 64,
  /** Files written, remembered for `exec-written`. */
  written: 256,
  /** Calls in flight whose result will put labels (their expectations, kept with the requests). */
  pending: 10_000,
  /** Characters of a tool name kept in an event. */
  toolChars: 128,
  /** Characters of the reason a label was put. */
  whyChars: 300,
} as const;

/** One session's flow memory. Only the flow check (src/engine/tool-flow.ts) changes it. */
export interface FlowMemory {
  latest: Map<string, LabelEvent>;
  /** The label table could not take a label: labelled calls are refused from then on. */
  full: boolean;
  /** Times (µs) of the latest calls that count towards the burst limit, oldest first. */
  burst: number[];
  written: string[];
  /** More files were written than are remembered: every command counts as naming one. */
  writtenOverflow: boolean;
}

/** What a call in flight leads its result to label (shared between calls when nothing: see expectResult). */
export interface ExpectedResult {
  readonly tool: string;
  readonly labels: readonly Labelled[];
}

// (Asked about on every call: see RecentWeakMap.)
const memories = new RecentWeakMap<object, FlowMemory>();

/** The flow memory of a session (created empty on first use). */
export function flowMemory(session: object): FlowMemory {
  let m = memories.get(session);
  if (!m) memories.set(session, (m = { latest: new Map(), full: false, burst: [], written: [], writtenOverflow: false }));
  return m;
}

/** Put a label on the session; a label that does not fit marks the memory full. */
export function putLabel(m: FlowMemory, event: LabelEvent): void {
  if (!m.latest.has(event.label) && m.latest.size >= FLOW_LIMITS.labels) {
    m.full = true;
    return;
  }
  m.latest.set(event.label, { ...event, tool: event.tool.slice(0, FLOW_LIMITS.toolChars), why: event.why.slice(0, FLOW_LIMITS.whyChars) });
}

/** Remember files the session wrote. */
export function noteWritten(m: FlowMemory, paths: readonly string[]): void {
  // (An index loop: nearly every call writes nothing, and makes no iterator to find so.)
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i] as string;
    if (m.written.includes(path)) continue;
    if (m.written.length >= FLOW_LIMITS.written) {
      m.writtenOverflow = true;
      return;
    }
    m.written.push(path);
  }
}

// A file name short enough to turn up by chance (`a`, `go`) is matched only as a whole path.
const MIN_NAME = 3;

/** The written file a command names (its path, or its file name as a word), if any. */
export function writtenNamedBy(m: FlowMemory, command: string): string | undefined {
  if (m.writtenOverflow) return 'a file (more files were written than Vanguard remembers)';
  const words = new Set(command.split(/[\s'"`;&|<>()=]+/).flatMap((w) => [w, w.replace(/^.*[\\/]/, '')]));
  return m.written.find((path) => {
    const name = path.replace(/^.*[\\/]/, '');
    return words.has(path) || (name.length >= MIN_NAME && words.has(name));
  });
}

/** Count a call towards the burst limit, keeping only the last `max` times. */
export function noteBurst(m: FlowMemory, atUs: number, max: number): void {
  m.burst.push(atUs);
  if (m.burst.length > max) m.burst.splice(0, m.burst.length - max);
}

/** What a forwarded call's result will label, as it is kept with the call in flight (see pending-requests.ts). */
export function expectedResult(tool: string, labels: readonly Labelled[]): ExpectedResult {
  return labels.length === 0 ? nothingExpected(tool) : { tool, labels };
}

// Most calls lead their results to no label: their entries are one per tool name, made once,
// not one per call. Under pipelined calls each call's entry lives until its answer, long enough
// to be copied and promoted by young collections (and collected again by a full one); a
// shared entry costs them nothing. Bounded like the names it is kept for.
const NOTHING_EXPECTED = new Map<string, ExpectedResult>();
const NO_LABELS: readonly Labelled[] = Object.freeze([]);
const MAX_NOTHING_EXPECTED = 256;

/** The entry of a call to `tool` whose result is led to no label (one per name, frozen). */
export function nothingExpected(tool: string): ExpectedResult {
  let entry = NOTHING_EXPECTED.get(tool);
  if (entry === undefined) {
    entry = Object.freeze({ tool, labels: NO_LABELS });
    if (tool.length <= FLOW_LIMITS.toolChars && NOTHING_EXPECTED.size < MAX_NOTHING_EXPECTED) NOTHING_EXPECTED.set(tool, entry);
  }
  return entry;
}
