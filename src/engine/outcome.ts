/**
 * What deciding on a frame produces: frames to write, each to one side, and the
 * decisions to audit. The proxy applies an Outcome; the engine never writes.
 */
import type { DecisionRecord } from '../audit/types.js';

/** One frame to write, without its trailing newline. */
export interface Output {
  to: 'server' | 'client';
  /** Raw bytes as received (byte-for-byte passthrough) or text the shim serialised. */
  data: Buffer | string;
}

export interface Outcome {
  outputs: Output[];
  records: DecisionRecord[];
}

/** An outcome with nothing in it yet. */
export function emptyOutcome(): Outcome {
  return { outputs: [], records: [] };
}

/** Append b's outputs and records to a, keeping order. */
export function mergeInto(a: Outcome, b: Outcome): Outcome {
  for (const output of b.outputs) a.outputs.push(output);
  for (const record of b.records) a.records.push(record);
  return a;
}
