/**
 * The engine: frames in, outcomes out. It parses, classifies and decides, and keeps the
 * session state; it does no I/O. The clock is passed in.
 */
import type { DecisionRecord } from '../audit/types.js';
import type { CompiledPolicy } from '../config/policy-types.js';
import { errorResponse } from '../protocol/answers.js';
import { JsonRpcCode } from '../protocol/errors.js';
import { classify, idKey, isObject, type RequestId } from '../protocol/jsonrpc.js';
import { envelopeSkeleton, scanEnvelope } from '../protocol/envelope-scan.js';
import { sniffId } from '../protocol/sniff-id.js';
import { frameToString } from '../protocol/framer.js';
import { parseJsonTextNatively } from '../protocol/large-parse.js';
import { readServerFrame } from './server-reading.js';
import type { IdReading } from '../protocol/answer-id.js';
import { oneLine, oneLineFrame } from '../protocol/one-line.js';
import { readRefusedId } from '../protocol/refused-id.js';
import { matchAnswer } from './answer-match.js';
import { parseStrict, serializeStrict } from '../protocol/strict-json.js';
import { NOT_PLAIN_TEXT, readClientTextSlowly, readPlainClientText } from '../protocol/plain-read.js';
import { decideClientMessage, type ClientDecision } from './client-side.js';
import { emptyOutcome, type Outcome, type Output } from './outcome.js';
import { decideServerMessage, needsFullRead } from './server-side.js';
import type { DefinitionScan } from './tool-list.js';
import type { LockFile } from '../pinning/lock.js';
import { SESSION_LIMITS, SessionState, type BatchGroup } from './session.js';
import type { InspectFunction } from './tool-call.js';
import { abandonListing, checksNeedDefinitions, holdsCalls, isOwnId } from './list-fetch.js';
import { refusedClientAnswer } from './channel-arguments.js';
import type { ResultScan } from './result-answer.js';
import { bindApprovalEdge, expireHeld, failHeld, nextDeadline, type ApprovalEdge, type ApprovalEvents } from '../approval/index.js';

export interface EngineDeps {
  /** A monotonic clock in microseconds, for the decision times in the audit. */
  nowUs(): number;
  /** Argument inspection for tools/call; absent, arguments are not inspected. */
  inspect?: InspectFunction;
  /** Scanning of tool definitions in tools/list answers; absent, definitions are not scanned. */
  scanDefinition?: DefinitionScan;
  /** The lock file tool definitions are compared with (rug pulls); absent, none. */
  pins?: LockFile;
  /** Scanning of results (tools/call, resources/read, prompts/get); absent, results pass unscanned. */
  scanResult?: ResultScan;
  /** What asking a person needs (server name, clock, key, out-of-band store); absent, asked calls are refused. */
  approval?: ApprovalEdge;
  /**
   * The caller is done with each outcome (its arrays and outputs) before it asks for the next
   * decision: the usual frame's outcome is then the same few objects every time, not new ones.
   */
  reuseOutcomes?: boolean;
}

/** The objects of the usual frame's outcome, reused (EngineDeps.reuseOutcomes). */
interface ReusedOutcome {
  outcome: Outcome;
  output: Output;
  one: Output[];
  none: Output[];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** The message of the frame as written between frames: none of a frame's objects is held past it. */
const NOTHING_WRITTEN: object = Object.freeze({});
/** From this size on, a server frame is routed by its envelope rather than parsed whole. */
export const LARGE_FRAME_BYTES = 256 * 1024;

export class Engine {
  readonly state = new SessionState();
  /** The output of the current decision already made one line (see oneLineOutputs). */
  #checked: Buffer | string | undefined;
  /** The usual frame's outcome, when it is reused (EngineDeps.reuseOutcomes). */
  readonly #reused: ReusedOutcome | undefined;
  /** What state.asWritten is set to while a frame sendable as written is decided. */
  readonly #written: { message: object; text: string } = { message: NOTHING_WRITTEN, text: '' };
  /** A call to a tool not listed yet waits for the shim's own listing (list-fetch.ts). */
  private readonly listsFirst: boolean;
  /** The clock, read once a call is decided: when its flow labels go on the session (applyFlow). */
  private readonly labelClock = (): number => this.deps.nowUs();

  constructor(
    private readonly policy: CompiledPolicy,
    private readonly deps: EngineDeps,
  ) {
    this.listsFirst = checksNeedDefinitions(policy, deps);
    if (deps.reuseOutcomes) {
      const output: Output = { to: 'client', data: '' };
      this.#reused = { outcome: { outputs: [], records: [] }, output, one: [output], none: [] };
    }
    bindApprovalEdge(this.state, deps.approval);
  }

  /**
   * The clock reached `nowMs`: approval questions past their deadline are withdrawn and
   * their calls refused. The edge calls this from a timer (see nextApprovalDeadline); it is
   * the one decision made on time rather than on a frame.
   */
  expire(nowMs: number): Outcome {
    return this.approvalOutcome(expireHeld(this.state, this.policy, nowMs));
  }

  /** When the earliest open approval question expires (ms, the approval clock), if any is open. */
  get nextApprovalDeadline(): number | undefined {
    return nextDeadline(this.state);
  }

  private approvalOutcome(events: ApprovalEvents): Outcome {
    const start = this.deps.nowUs();
    return this.oneLineOutputs({ outputs: events.outputs, records: events.records.map((record) => this.timed(record, start)) });
  }

  /**
   * Decide on one frame from the client. Every output is one line to every reader (one-line.ts).
   * `asciiText`: the frame's text, when its bytes are known to be ASCII (the framer read it:
   * FrameEvent), so that they need no decoding.
   */
  fromClient(frame: Buffer, asciiText?: string): Outcome {
    return this.oneLineOutputs(this.clientFrame(frame, asciiText));
  }

  /** Decide on one frame from the server. Every output is one line to every reader (one-line.ts). `asciiText`: as fromClient's. */
  fromServer(frame: Buffer, asciiText?: string): Outcome {
    return this.oneLineOutputs(this.serverFrame(frame, asciiText));
  }

  private clientFrame(frame: Buffer, asciiText: string | undefined): Outcome {
    const start = this.deps.nowUs();
    let text: string;
    // (ASCII bytes are UTF-8, and read as the same characters by every decoder.)
    if (asciiText !== undefined) text = asciiText;
    else {
      try {
        // Bytes that are not UTF-8 could read differently to the server; refuse them.
        text = strictUtf8.decode(frame);
      } catch {
        return this.answerClient(emptyOutcome(), start, readRefusedId(frame), JsonRpcCode.parseError, 'Parse error: the frame is not valid UTF-8', 'protocol.parse');
      }
    }
    // readClientText(text), made of its two halves: the usual frame's value is read with no
    // reading object made around it.
    let value = asciiText !== undefined ? readPlainClientText(text, true, frame) : readPlainClientText(text);
    let sendable = true;
    if (value === NOT_PLAIN_TEXT) {
      const reading = readClientTextSlowly(text);
      const parsed = reading.parsed;
      if (!parsed.ok) {
        if (parsed.code === 'duplicate-key') {
          const answer = refusedClientAnswer(text, this.state);
          if (answer) return { outputs: [{ to: 'server', data: answer.text }], records: [this.timed(answer.record, start)] };
          return this.answerClient(emptyOutcome(), start, readRefusedId(frame), JsonRpcCode.invalidRequest, `Invalid Request: ${parsed.message}`, 'protocol.duplicate-key');
        }
        return this.answerClient(emptyOutcome(), start, readRefusedId(frame), JsonRpcCode.parseError, `Parse error: ${parsed.message}`, 'protocol.parse');
      }
      value = parsed.value;
      sendable = reading.sendable;
    }
    if (Array.isArray(value)) return this.clientBatch(value, emptyOutcome(), start);

    // The frame as written, for the decision to send (one object, its fields set per frame).
    const written = this.#written;
    const verbatim = isObject(value) && sendable;
    if (verbatim) {
      written.message = value as object;
      written.text = text;
    }
    this.state.asWritten = verbatim ? written : undefined;
    // (Text sendable as written is printable ASCII: one line to every reader already.)
    let decision: ClientDecision;
    try {
      decision = decideClientMessage(classify(value), this.state, this.policy, undefined, this.deps.inspect, this.listsFirst, start, this.labelClock);
    } finally {
      this.state.asWritten = undefined;
      written.message = NOTHING_WRITTEN;
      written.text = '';
    }
    // The usual outcome is one output or none, and one record (see frameOutcome).
    const action = decision.action;
    let to: Output['to'] | undefined;
    let data: Buffer | string = '';
    let outputs: Output[] | undefined;
    if (action.type === 'forward') {
      to = 'server';
      data = this.verified(oneLineFrame(frame, text));
    } else if (action.type === 'forward-text') {
      to = 'server';
      // (Text read from ASCII bytes is those bytes, one character each: they go as they came,
      // a copy where the text would be encoded again.)
      data = verbatim && action.text === text ? this.verbatim(asciiText === undefined ? text : frame) : action.text;
    } else if (action.type === 'answer') {
      to = 'client';
      data = serializeStrict(action.message);
    } else if (action.type === 'emit') outputs = action.outputs.slice();
    // (Timed here rather than by timed(): see timed.)
    const record = decision.record as DecisionRecord;
    record.decisionUs = this.elapsedUs(start);
    return outputs === undefined ? this.frameOutcome(to, data, record) : { outputs, records: [record] };
  }

  private serverFrame(frame: Buffer, asciiText: string | undefined): Outcome {
    if (frame.length >= LARGE_FRAME_BYTES && !this.surelyReadInFull(frame)) {
      const large = this.largeFromServer(frame);
      if (large) return large;
    }
    const start = this.deps.nowUs();
    const text = asciiText ?? frameToString(frame);
    let value: unknown;
    try {
      // (A large frame's long strings are slices of its text, not copies: large-parse.ts. A key
      // spelled with an escape is looked for by readServerFrame.)
      value = parseJsonTextNatively(text, frame);
    } catch {
      // Servers print banners and debug lines to stdout; a client would choke on them.
      return { outputs: [], records: [this.timed({ direction: 'server', verdict: 'drop', rules: ['protocol.noise'], detail: { bytes: frame.length, preview: text.slice(0, 120) } }, start)] };
    }
    if (Array.isArray(value)) return this.serverBatch(text, emptyOutcome(), start);

    // An answer is matched by every reading of its top-level id, taken from the bytes: the
    // parse above kept only the last of two. Where results are scanned, most answers are
    // results, whose strict reading is wanted: one walk then learns it and finds the id
    // (a large text, which may well not be wanted read so, is walked only if it is).
    const known = readServerFrame(frame, text, value, this.deps.scanResult !== undefined, asciiText !== undefined);
    const message = known.message;
    const readings = known.readings;
    const decision = decideServerMessage(message, known, this.state, this.policy, this.deps, readings);
    const action = decision.action;
    const answerText = action.type === 'forward-text' ? action.text : action.type === 'forward' ? text : undefined;
    const batch = decision.answers?.batch;
    // The usual outcome is one output or none, and one record (see frameOutcome).
    let to: Output['to'] | undefined;
    let data: Buffer | string = '';
    let outputs: Output[] | undefined;
    if (batch && answerText !== undefined) this.addToBatch(batch, answerText, (outputs = []));
    else if (action.type === 'forward') {
      to = 'client';
      data = this.verified(oneLineFrame(frame, text));
    } else if (action.type === 'forward-text') {
      to = 'client';
      data = action.text;
    } else if (action.type === 'answer-server') {
      to = 'server';
      data = action.text;
    } else if (action.type === 'emit') outputs = action.outputs.slice();
    // (Timed here rather than by timed(): see timed.)
    const record = decision.record as DecisionRecord;
    record.decisionUs = this.elapsedUs(start);
    if (outputs === undefined) return this.frameOutcome(to, data, record);
    const records = [record];
    if (action.type === 'emit') for (const record of action.more) records.push(this.timed(record, start));
    return { outputs, records };
  }

  // The outcome of the usual frame: one output or none, and its record. Written as literals of
  // the size they have (an array that grows by push from empty takes room for 17 entries); or,
  // where the caller is done with each outcome before the next decision (reuseOutcomes), the
  // same few objects every time. A large output is not put in them: they outlive the decision
  // (to the next one), and would keep its frame's bytes or text from the collection made
  // once it is written (src/proxy/large-frames.ts), alive beside the next large frame.
  private frameOutcome(to: Output['to'] | undefined, data: Buffer | string, record: DecisionRecord): Outcome {
    const reused = this.#reused;
    if (reused === undefined || data.length >= LARGE_FRAME_BYTES) return { outputs: to === undefined ? [] : [{ to, data }], records: [record] };
    const outcome = reused.outcome;
    if (to === undefined) outcome.outputs = reused.none;
    else {
      const output = reused.output;
      output.to = to;
      output.data = data;
      outcome.outputs = reused.one;
    }
    outcome.records[0] = record;
    return outcome;
  }

  // A large answer nobody inspects (a big result, when results are not scanned) is routed by
  // its envelope, read from the bytes: no string copy and no parse. Anything that must be
  // read in full (a list, a scanned result, part of a batch), or that is not a plain object,
  // takes the usual path.
  private largeFromServer(frame: Buffer): Outcome | undefined {
    const start = this.deps.nowUs();
    const scan = scanEnvelope(frame);
    if (!scan.ok) return undefined;
    const skeleton = envelopeSkeleton(scan.envelope);
    // The server's own requests and notifications are always read in full (server-requests.ts).
    if (typeof skeleton.method === 'string') return undefined;
    const readings: IdReading[] = scan.envelope.members.filter((m) => m.key === 'id').map((m) => ({ value: m.value, raw: m.raw ?? '' }));
    const match = matchAnswer(readings, this.state);
    // Only an answer matched exactly to a client request is passed on unread. One matched
    // loosely is sent with the client's id, so it is rewritten; the rest (the shim's own
    // listings, unmatched or repeated ids) are decided on the full read.
    if (match.kind !== 'pending' || !match.exact) return undefined;
    if (needsFullRead(skeleton.id, this.state, this.deps.scanResult !== undefined)) return undefined;
    const decision = decideServerMessage(classify(skeleton), { text: () => frame.toString('utf8') }, this.state, this.policy, this.deps, readings);
    const out = emptyOutcome();
    if (decision.action.type === 'forward') out.outputs.push({ to: 'client', data: frame });
    else if (decision.action.type === 'forward-text') out.outputs.push({ to: 'client', data: decision.action.text });
    out.records.push(this.timed({ ...decision.record, detail: { ...decision.record.detail, bytes: frame.length } }, start));
    return out;
  }

  // A large answer that will be read in full anyway (a scanned result, most often): its id,
  // sniffed from the first and last bytes, names such a request. Only a shortcut: when the
  // sniff finds nothing, the envelope is read as usual, and either way the decision is made
  // on the parsed message.
  private surelyReadInFull(frame: Buffer): boolean {
    if (this.deps.scanResult === undefined) return false;
    const id = sniffId(frame.subarray(0, 256).toString('utf8'), frame.subarray(Math.max(0, frame.length - 256)).toString('utf8'));
    return id !== undefined && needsFullRead(id, this.state, true);
  }

  /** A frame over the size limit was discarded; answer the request it belonged to if it can be known. */
  oversize(from: 'client' | 'server', size: number, head: Buffer, tail: Buffer): Outcome {
    return this.oneLineOutputs(this.oversizeFrame(from, size, head, tail));
  }

  private oversizeFrame(from: 'client' | 'server', size: number, head: Buffer, tail: Buffer): Outcome {
    const start = this.deps.nowUs();
    const out = emptyOutcome();
    const id = sniffId(head.toString('utf8'), tail.toString('utf8'));
    const message = `Vanguard: a ${size}-byte frame from the ${from} exceeds the frame limit and was discarded`;
    if (from === 'client') {
      return this.answerClient(out, start, id ?? null, JsonRpcCode.frameTooLarge, message, 'limits.frame');
    }
    const pending = id === undefined ? undefined : this.state.pendingClient.get(idKey(id));
    if (pending && id !== undefined) {
      this.state.pendingClient.delete(idKey(id));
      this.deliver(pending.batch, serializeStrict(errorResponse(pending.id, JsonRpcCode.frameTooLarge, message)), out);
    }
    out.records.push(this.timed({ direction: 'server', id, verdict: 'drop', rules: ['limits.frame'], reason: message }, start));
    return out;
  }

  /**
   * Deciding on a frame threw (a bug): nothing is forwarded, and a client request whose id
   * can be read is answered with an internal error.
   */
  failed(from: 'client' | 'server', bytes: Buffer, error: unknown): Outcome {
    return this.oneLineOutputs(this.failedFrame(from, bytes, error));
  }

  private failedFrame(from: 'client' | 'server', bytes: Buffer, error: unknown): Outcome {
    const start = this.deps.nowUs();
    const out = emptyOutcome();
    const reason = `Vanguard could not decide on this frame: ${error instanceof Error ? error.message : String(error)}`;
    if (from === 'client') {
      const head = bytes.subarray(0, 1024).toString('utf8');
      const tail = bytes.subarray(Math.max(0, bytes.length - 1024)).toString('utf8');
      return this.answerClient(out, start, sniffId(head, tail) ?? null, JsonRpcCode.internalError, reason, 'engine.error');
    }
    out.records.push(this.timed({ direction: 'server', verdict: 'drop', rules: ['engine.error'], reason }, start));
    return out;
  }

  /** The server is gone: every request still waiting is answered with an error (invariant 6). */
  serverGone(reason: string): Outcome {
    return this.oneLineOutputs(this.allPendingFailed(reason));
  }

  private allPendingFailed(reason: string): Outcome {
    const start = this.deps.nowUs();
    const out = emptyOutcome();
    // Calls held for a person's approval will not be sent now either.
    const held = failHeld(this.state, reason);
    out.outputs.push(...held.outputs);
    for (const record of held.records) out.records.push(this.timed(record, start));
    for (const pending of this.state.pendingClient.values()) {
      if (pending.cancelled) continue;
      const text = serializeStrict(errorResponse(pending.id, JsonRpcCode.connectionClosed, `MCP server ${reason} before answering`));
      this.deliver(pending.batch, text, out);
      out.records.push(this.timed({ direction: 'server', method: pending.method, id: pending.id, tool: pending.tool, verdict: 'block', rules: ['server.gone'], reason }, start));
    }
    this.state.pendingClient.clear();
    return out;
  }

  /** True for an id of the shim's own requests to the server (its tool listing in flight). */
  isOwnRequest(id: unknown): boolean {
    return (typeof id === 'string' || typeof id === 'number') && isOwnId(this.state, id);
  }

  /** Requests the proxy answered in the server's place (the audit gate): no longer waiting. */
  answeredInstead(ids: readonly unknown[]): void {
    for (const id of ids) {
      if (typeof id !== 'string' && typeof id !== 'number') continue;
      const key = idKey(id);
      if (this.state.pendingClient.delete(key)) this.state.answeredLocally.add(key);
    }
  }

  /** The shim's own listing will not be sent: the calls held for it are answered with this error. */
  abandonListing(code: number, message: string, rule: string): Outcome {
    const start = this.deps.nowUs();
    const decided = abandonListing(this.state, code, message, rule);
    return this.oneLineOutputs({ outputs: decided.outputs, records: decided.records.map((record) => this.timed(record, start)) });
  }

  /** True while client calls are held for the shim's own tool listing (not yet sent to the server). */
  get holdingCalls(): boolean {
    return holdsCalls(this.state);
  }

  /** Client requests forwarded and not yet answered. */
  get pendingCount(): number {
    return this.state.pendingClient.size;
  }

  // A batch is never forwarded as it came (invariant 7): each element is decided alone and
  // sent alone; the answers are gathered and returned to the client as one array.
  private clientBatch(elements: unknown[], out: Outcome, start: number): Outcome {
    if (elements.length === 0 || elements.length > SESSION_LIMITS.maxBatchLength) {
      const why = elements.length === 0 ? 'an empty batch' : `a batch of more than ${SESSION_LIMITS.maxBatchLength} messages`;
      return this.answerClient(out, start, null, JsonRpcCode.invalidRequest, `Invalid Request: ${why}`, 'protocol.batch');
    }
    const group: BatchGroup = { answers: [], waiting: 0 };
    const decisions: Array<{ decision: ClientDecision; element: unknown }> = [];
    for (const element of elements) {
      const message = classify(element);
      const decision = decideClientMessage(message, this.state, this.policy, group, this.deps.inspect, this.listsFirst, start, this.labelClock);
      if (message.kind === 'request' && decision.action.type !== 'answer') group.waiting++;
      decisions.push({ decision, element });
    }
    for (const { decision, element } of decisions) {
      const action = decision.action;
      if (action.type === 'forward') out.outputs.push({ to: 'server', data: serializeStrict(element) });
      else if (action.type === 'forward-text') out.outputs.push({ to: 'server', data: action.text });
      else if (action.type === 'answer') group.answers.push(serializeStrict(action.message));
      else if (action.type === 'emit') out.outputs.push(...action.outputs);
      out.records.push(this.timed({ ...decision.record, detail: { ...decision.record.detail, batch: true } }, start));
    }
    if (group.waiting === 0 && group.answers.length > 0) out.outputs.push({ to: 'client', data: `[${group.answers.join(',')}]` });
    return out;
  }

  // Arrays from the server are rare (2025-03-26 only); each element is decided and the
  // array is rebuilt from what may pass.
  private serverBatch(text: string, out: Outcome, start: number): Outcome {
    const parsed = parseStrict(text);
    if (!parsed.ok || !Array.isArray(parsed.value)) {
      out.records.push(this.timed({ direction: 'server', verdict: 'drop', rules: ['protocol.strict-json'], reason: parsed.ok ? 'not an array' : parsed.message }, start));
      return out;
    }
    const passed: string[] = [];
    for (const element of parsed.value) {
      const elementText = serializeStrict(element);
      const decision = decideServerMessage(classify(element), { text: () => elementText }, this.state, this.policy, this.deps);
      const answerText = decision.action.type === 'forward-text' ? decision.action.text : decision.action.type === 'forward' ? elementText : undefined;
      const batch = decision.answers?.batch;
      if (decision.action.type === 'answer-server') out.outputs.push({ to: 'server', data: decision.action.text });
      else if (decision.action.type === 'emit') out.outputs.push(...decision.action.outputs);
      else if (batch && answerText !== undefined) this.addToBatch(batch, answerText, out.outputs);
      else if (answerText !== undefined) passed.push(answerText);
      out.records.push(this.timed(decision.record, start));
    }
    if (passed.length > 0) out.outputs.push({ to: 'client', data: `[${passed.join(',')}]` });
    return out;
  }

  private deliver(batch: BatchGroup | undefined, text: string, out: Outcome): void {
    if (batch) this.addToBatch(batch, text, out.outputs);
    else out.outputs.push({ to: 'client', data: text });
  }

  private addToBatch(batch: BatchGroup, text: string, outputs: Output[]): void {
    batch.answers.push(text);
    batch.waiting--;
    if (batch.waiting === 0) outputs.push({ to: 'client', data: `[${batch.answers.join(',')}]` });
  }

  // What the shim writes is one line to every reader: checked here, once, for every output
  // (a raw frame already checked against its decoded text is not checked twice).
  private oneLineOutputs(out: Outcome): Outcome {
    const checked = this.#checked;
    this.#checked = undefined;
    for (const output of out.outputs) if (output.data !== checked) output.data = oneLine(output.data);
    return out;
  }

  private verified(data: Buffer | string): Buffer | string {
    if (typeof data !== 'string') this.#checked = data;
    return data;
  }

  // A client's text sendable as written is printable ASCII: one line already, nothing to rewrite
  // (and so are the bytes it was read from, when the framer read it: see clientFrame).
  private verbatim(data: Buffer | string): Buffer | string {
    this.#checked = data;
    return data;
  }

  private answerClient(out: Outcome, start: number, id: RequestId | null, code: number, message: string, rule: string): Outcome {
    out.outputs.push({ to: 'client', data: serializeStrict(errorResponse(id, code, message)) });
    // A refused frame reusing the id of a request in flight: a later cancel is for that one.
    if (id !== null && !this.state.pendingClient.has(idKey(id))) this.state.answeredLocally.add(idKey(id));
    out.records.push(this.timed({ direction: 'client', id, verdict: 'block', rules: [rule], reason: message }, start));
    return out;
  }

  // Records are fresh objects made for this decision, so the time is set on them in place.
  // The usual frame's record is timed where it is decided instead (clientFrame, serverFrame):
  // adding the property is a store of its own there, which sees the few shapes of records that
  // side makes, where this one sees every shape the engine makes and is slow to add it.
  private timed(record: Omit<DecisionRecord, 'decisionUs'>, start: number): DecisionRecord {
    const timed = record as DecisionRecord;
    timed.decisionUs = this.elapsedUs(start);
    return timed;
  }

  /** Microseconds since `start` (the clock read as a frame came to the engine): a decision's time. */
  private elapsedUs(start: number): number {
    return Math.max(0, Math.round(this.deps.nowUs() - start));
  }
}
