/**
 * Decisions on messages from the server. The server's answers are matched to the
 * client request they answer by id, in the client's id space (invariant 2), loosely as
 * clients match them (invariant 14; server-answer.ts).
 */
import type { DecisionRecord } from '../audit/types.js';
import type { CompiledPolicy } from '../config/policy-types.js';
import { idKey, type Classified } from '../protocol/jsonrpc.js';
import type { PendingClientRequest, SessionState } from './session.js';
import { definitionListFor } from './definition-list.js';
import type { DefinitionScan } from './tool-list.js';
import type { LockFile } from '../pinning/lock.js';
import { SCANNED_RESULTS, type KnownFrame, type ResultScan } from './result-answer.js';
import { INSTRUCTION_ANSWERS } from './instructions.js';
import type { IdReading } from '../protocol/answer-id.js';
import { decideAnswer, readingsOf } from './server-answer.js';
import { decideServerChannel } from './server-requests.js';
import { decideOwnAnswer } from './list-fetch.js';
import { isQuestionId } from '../approval/index.js';
import { errorResponse } from '../protocol/answers.js';
import { JsonRpcCode } from '../protocol/errors.js';
import { serializeStrict } from '../protocol/strict-json.js';
import type { Output } from './outcome.js';
import type { InspectFunction } from './tool-call.js';

/** What inspects the server's messages; each part absent is not done. */
export interface ServerInspection {
  scanDefinition?: DefinitionScan;
  pins?: LockFile;
  scanResult?: ResultScan;
  /** Argument inspection, for calls held until the shim listed the tools. */
  inspect?: InspectFunction;
  /** The engine's clock (µs): when results put their flow labels on the session. */
  nowUs?(): number;
}

/** A server frame's text, read on demand, with what the engine already knows of it. */
export interface FrameText extends KnownFrame {
  text(): string;
}

/** What to do with one server message. */
export type ServerAction =
  | { type: 'forward' }
  | { type: 'forward-text'; text: string }
  /** Not forwarded: answered to the server instead (a refused server request). */
  | { type: 'answer-server'; text: string }
  /** Frames of the shim's own (its listing before a held call), and the records of what it decided. */
  | { type: 'emit'; outputs: Output[]; more: Array<Omit<DecisionRecord, 'decisionUs'>> }
  | { type: 'drop' };

export interface ServerDecision {
  action: ServerAction;
  record: Omit<DecisionRecord, 'decisionUs'>;
  /** The client request this message answers, if it answers one. */
  answers?: PendingClientRequest;
}

/**
 * Decide on one classified server message. `text.text()` gives the message as the server wrote
 * it, for the answers that are read in full (tools/list); the others never decode it.
 * `readings` are every reading of an answer's top-level id, from its bytes (answer-id.ts);
 * without them, the parsed id is the only one.
 */
export function decideServerMessage(message: Classified, text: FrameText, state: SessionState, policy: CompiledPolicy, inspection: ServerInspection = {}, readings?: IdReading[]): ServerDecision {
  switch (message.kind) {
    case 'invalid':
      // JSON, but not JSON-RPC: noise a client would choke on.
      return { action: { type: 'drop' }, record: { direction: 'server', verdict: 'drop', rules: ['protocol.noise'], reason: message.reason } };
    case 'notification':
    case 'request':
      // The client would not know which of two requests with one id it answers (approval questions: src/approval).
      if (message.kind === 'request' && isQuestionId(state, message.id)) {
        const reason = `id ${JSON.stringify(message.id)} is in use by a request of the shim's own`;
        return { action: { type: 'answer-server', text: serializeStrict(errorResponse(message.id, JsonRpcCode.invalidRequest, `Invalid Request: ${reason}`)) }, record: { direction: 'server', method: message.method, id: message.id, verdict: 'block', rules: ['protocol.duplicate-id'], reason } };
      }
      return decideServerChannel(message, text, state, policy, inspection.scanResult);
    case 'response': {
      // The shim's own requests (list-fetch.ts) are answered here and never reach the client.
      const own = decideOwnAnswer(message, text, state, policy, inspection);
      if (own) return { action: { type: 'emit', outputs: own.outputs, more: own.records.slice(1) }, record: own.records[0] as ServerDecision['record'] };
      return decideAnswer(message, readings ?? readingsOf(message.id), text, state, policy, inspection);
    }
  }
}

/** True when an answer with this id needs to be read in full (a list, a scanned result, or part of a batch). */
export function needsFullRead(id: unknown, state: SessionState, scansResults: boolean): boolean {
  if (typeof id !== 'string' && typeof id !== 'number') return true;
  const pending = state.pendingClient.get(idKey(id));
  if (pending === undefined) return false;
  return pending.method === 'tools/list' || INSTRUCTION_ANSWERS.has(pending.method) || definitionListFor(pending.method) !== undefined || pending.batch !== undefined || (scansResults && SCANNED_RESULTS.has(pending.method));
}
