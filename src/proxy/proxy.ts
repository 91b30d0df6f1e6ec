/**
 * The proxy: wires the client's streams, the server's process, the engine and the audit
 * sink together, applies the engine's outcomes, and runs the lifecycle (invariant 6).
 * Everything it touches is passed in, so tests can hand it fakes.
 */
import type { Readable, Writable } from 'node:stream';
import { AUDIT_UNAVAILABLE_CODE, AUDIT_UNAVAILABLE_MESSAGE, refuseUnrecorded } from '../audit/gate.js';
import type { AuditSink } from '../audit/types.js';
import type { CompiledPolicy } from '../config/policy-types.js';
import { Engine } from '../engine/engine.js';
import type { Outcome } from '../engine/outcome.js';
import type { InspectFunction } from '../engine/tool-call.js';
import type { DefinitionScan } from '../engine/tool-list.js';
import type { ResultScan } from '../engine/result-answer.js';
import type { ApprovalEdge } from '../approval/index.js';
import type { DefinitionKind, LockEntry, LockFile } from '../pinning/lock.js';
import type { FrameEvent } from '../protocol/framer.js';
import { exitCodeOf, type ChildExit, type ChildHandle, type ChildSpec } from './child.js';
import { FrameWriter } from './frame-writer.js';
import { COLLECT_EVERY_BYTES, LargeFrameRelease, LetGoRelease } from './large-frames.js';
import { readFrames, type FrameReaderOptions } from './frame-reader.js';
import { OutputWatch } from './server-output.js';
import { DEFAULT_TERMINATE_TIMING, escalateAfter, terminateChild, type TerminateTiming } from './terminate.js';

export interface ProxyOptions {
  policy: CompiledPolicy;
  /** The server, already started (see startChild): it boots while the policy loads. */
  child: ChildHandle;
  /** How it was started, for the log. */
  spec: ChildSpec;
  /** The client's side: what it writes to us, and where our answers go. */
  clientIn: Readable;
  clientOut: Writable;
  /**
   * True when clientOut and the server's stdin have copied what is written by the time a
   * write's callback runs, as OS pipes, files and terminals do (not a PassThrough, whose reader
   * is handed the very buffer): the memory of a long line is then written over by a later one
   * once its outputs are out (src/protocol/framer.ts takeLent), and a writer's block by the
   * next chunk's frames once the stream has taken it (src/proxy/frame-writer.ts).
   */
  outputsCopy?: boolean;
  audit: AuditSink;
  /** A monotonic clock in microseconds. */
  nowUs(): number;
  timing?: TerminateTiming;
  /** Argument inspection for tools/call (see src/inspect/build.ts); absent, none. */
  inspect?: InspectFunction;
  /** Scanning of tool definitions (see src/inspect/build.ts); absent, none. */
  scanDefinition?: DefinitionScan;
  /** The lock file tool definitions are compared with; absent, none. */
  pins?: LockFile;
  /** Scanning of results (see src/inspect/build.ts); absent, none. */
  scanResult?: ResultScan;
  /** Trust on first use: called when the session ends with the definitions first listed in it. */
  learnedPins?(definitions: Record<DefinitionKind, Record<string, LockEntry>>): void;
  /** One line for the user when something goes wrong that the audit cannot carry. */
  errorLine(line: string): void;
  /** Where to listen for SIGINT/SIGTERM/SIGHUP to forward; omit in tests. */
  signals?: NodeJS.EventEmitter;
  /** What asking a person needs (src/approval); absent, asked calls are refused. */
  approval?: ApprovalEdge;
  /** Called once, after the first frame to the client (the initialize answer) is written: idle time begins. */
  afterFirstAnswer?(): void;
}

/**
 * A stdout that ends (or a stdin that fails) this long before the server's exit is reported
 * is taken as closed by a server still running. This only chooses between two wordings of
 * the same prompt -32000; nothing is lost either way.
 */
const CLOSED_BEFORE_EXIT_MS = 250;
// The client ended its input while calls waited for the shim's own tool listing: the
// listing is waited for (its answer sends them), up to this long, as a last resort against
// a server that never answers it.
const HELD_CALLS_WAIT_MS = 30_000;
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/**
 * A reader waits for the destination it forwards to: the client's reader for the server's
 * input, the server's reader for the client's. What reading one side writes back to that same
 * side (the shim's own answers to its requests; the calls held for the shim's listing, which
 * its answer releases to the server) is not waited for until this many bytes wait to go out
 * there: a peer that writes before it reads (a Node server's stdout to a pipe blocks the
 * process) would otherwise never read what it waits for, as its own output is no longer read.
 * Past it (a peer that floods requests and reads nothing), the reader does wait, so memory
 * stays bounded. It is above what held calls come to as written (MAX_HELD_BYTES, 16 MiB;
 * the first call, held however large, is one frame, which a server reads whole before it
 * answers it).
 */
export const WRITE_BACK_BYTES_BEFORE_WAIT = 32 * 1024 * 1024;

/** Run one proxied session to the end. Resolves with the exit code the shim should use. */
export function runProxy(options: ProxyOptions): Promise<number> {
  const session = new ProxySession(options, options.child, options.timing ?? DEFAULT_TERMINATE_TIMING);
  return session.run();
}

class ProxySession {
  private readonly engine: Engine;
  private readonly toServer: FrameWriter;
  private readonly toClient: FrameWriter;
  private terminating = false;
  private auditFailed = false;
  private clientEnded = false;
  private stopClient: () => void = () => undefined;
  private stopServer: () => void = () => undefined;
  private serverOutput!: OutputWatch;
  private exited = false;
  /** Set once the server closed its stdout or stdin while still running. */
  private closedEarly = false;
  /** The timer that tells the engine an approval question's deadline came, and for which deadline. */
  private expiryTimer: NodeJS.Timeout | undefined;
  private expiryAt: number | undefined;
  // A large frame's bytes are held by the pipe they are written to until they are out: the
  // collection waits for both writers, or it would find them still in use.
  private readonly largeFrames = new LargeFrameRelease(COLLECT_EVERY_BYTES, undefined, (run) => {
    void Promise.all([this.toServer.written(), this.toClient.written()]).then(() => setImmediate(run));
  });
  // The chunks of long lines, let go of as they come (framer.ts), are collected young as they add up.
  private readonly letGo = new LetGoRelease();
  private answered = false;
  /**
   * Per reader, the writers handed bytes (an output that is a Buffer: a view of what was read)
   * since its last whenWritten: the only ones that can hold the memory of a long line read since
   * (a chunk whose handling threw leaves its line to the next one's). Every other output is a
   * string, a copy.
   */
  private readonly bytesTo = { client: { server: false, client: false }, server: { server: false, client: false } };

  constructor(
    private readonly options: ProxyOptions,
    private readonly child: ChildHandle,
    private readonly timing: TerminateTiming,
  ) {
    // (Each outcome is applied, and done with, before the next decision: see apply.)
    this.engine = new Engine(options.policy, { nowUs: options.nowUs, inspect: options.inspect, scanDefinition: options.scanDefinition, pins: options.pins, scanResult: options.scanResult, approval: options.approval, reuseOutcomes: true });
    // The server stopped reading: because it exited (handled in run) or it closed its stdin.
    // (Writers that copy may use their blocks again: FrameWriter's `spare`.)
    const copies = options.outputsCopy === true;
    this.toServer = new FrameWriter(child.stdin, () => this.streamClosed('stdin'), copies);
    this.toClient = new FrameWriter(
      options.clientOut,
      (error) => {
        options.audit.log('warn', 'client output closed; stopping the server', { error: error.message });
        this.shutDown();
      },
      copies,
    );
  }

  async run(): Promise<number> {
    const { audit, policy } = this.options;
    audit.log('info', 'server started', {
      pid: this.child.pid,
      watchdog: this.child.watchdogPid,
      command: this.options.spec.command,
      args: this.options.spec.args,
      policy: policy.sources,
      mode: policy.mode,
    });
    const maxFrameBytes = policy.limits.maxFrameBytes;

    const serverEnd = new Promise<void>((resolve) => {
      this.stopServer = readFrames(this.child.stdout, { maxFrameBytes, onEvent: (event) => this.onFrame('server', event), ...this.batching('server'), onEnd: resolve });
    });
    this.serverOutput = new OutputWatch(this.child.stdout, serverEnd);
    void serverEnd.then(() => this.streamClosed('stdout'));
    this.stopClient = readFrames(this.options.clientIn, {
      maxFrameBytes,
      onEvent: (event) => this.onFrame('client', event),
      ...this.batching('client'),
      onEnd: () => {
        audit.log('info', 'client input ended; stopping the server');
        this.clientEnded = true;
        // Calls held for the shim's own listing were sent before the end: the server gets
        // them first (they are written once the listing is answered; see apply()).
        if (!this.engine.holdingCalls) this.shutDown();
        else setTimeout(() => this.shutDown(), HELD_CALLS_WAIT_MS).unref();
      },
    });
    const removeSignals = this.forwardSignals();

    const exit = await this.child.exited;
    this.exited = true;
    removeSignals();
    this.stopClient();
    // The server's last answers may still be in the pipe: read them, at the client's pace.
    if (!this.closedEarly && (await this.serverOutput.settle())) {
      audit.log('warn', 'the server exited but its stdout stayed open and silent (a process it left behind?); not waiting for it');
    }
    this.apply(this.engine.serverGone(describeExit(exit)));
    audit.log('info', 'server exited', { code: exit.code, signal: exit.signal });
    const learned = this.engine.state.firstSeen;
    if (this.options.learnedPins && Object.values(learned).some((entries) => Object.keys(entries).length > 0)) {
      try {
        this.options.learnedPins(learned);
      } catch (error) {
        this.options.errorLine(`could not record the tools seen (trust on first use): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await this.toClient.flush();
    return exitCodeOf(exit);
  }

  // Frames decided from one chunk of input go out together, one write per destination; the
  // reader then waits for a destination that has not taken them (backpressure).
  private batching(reading: 'client' | 'server'): Pick<FrameReaderOptions, 'onChunkStart' | 'onChunkEnd' | 'onLetGo' | 'whenWritten'> {
    return {
      onLetGo: (bytes) => this.letGo.letGo(bytes),
      // A long line's bytes are held by the writers they went to, until they are out; only by
      // those: waiting for the other too held every long line read meanwhile, all of them (a
      // server that stops reading while it writes long lines kept each one's memory alive).
      ...(this.options.outputsCopy === true && { whenWritten: (run: () => void) => this.whenWritten(this.bytesTo[reading], run) }),
      onChunkStart: () => {
        this.toServer.cork();
        this.toClient.cork();
      },
      onChunkEnd: () => {
        this.toServer.uncork();
        this.toClient.uncork();
        return this.waitFor(reading, this.toServer.full, this.toClient.full);
      },
    };
  }

  // Runs `run` once the writers handed bytes since the last call have written them (at once
  // when none was: nothing else holds a frame's bytes past its decision).
  private whenWritten(to: { server: boolean; client: boolean }, run: () => void): void {
    const server = to.server;
    const client = to.client;
    to.server = false;
    to.client = false;
    if (server && client) void Promise.all([this.toServer.written(), this.toClient.written()]).then(run);
    else if (server) void this.toServer.written().then(run);
    else if (client) void this.toClient.written().then(run);
    else run();
  }

  // What the reader of one side waits for, given which destinations are full (the writers'
  // shared drain promises, so waiting costs nothing per frame): see WRITE_BACK_BYTES_BEFORE_WAIT.
  private waitFor(reading: 'client' | 'server' | undefined, serverFull: boolean, clientFull: boolean): Promise<void> | undefined {
    const server = serverFull && (reading !== 'server' || this.toServer.pendingBytes >= WRITE_BACK_BYTES_BEFORE_WAIT);
    const client = clientFull && (reading !== 'client' || this.toClient.pendingBytes >= WRITE_BACK_BYTES_BEFORE_WAIT);
    if (server && client) return Promise.all([this.toServer.drained(), this.toClient.drained()]).then(() => undefined);
    if (server) return this.toServer.drained();
    if (client) return this.toClient.drained();
    return undefined;
  }

  private onFrame(from: 'client' | 'server', event: FrameEvent): Promise<void> | undefined {
    let outcome: Outcome;
    try {
      if (event.kind === 'oversize') outcome = this.engine.oversize(from, event.size, event.head, event.tail);
      else outcome = from === 'client' ? this.engine.fromClient(event.bytes, event.text) : this.engine.fromServer(event.bytes, event.text);
    } catch (error) {
      // The engine does not throw by design; if it ever does, the frame goes nowhere (fail
      // closed) and a client request is answered rather than left hanging.
      outcome = this.engine.failed(from, event.kind === 'frame' ? event.bytes : event.head, error);
    }
    const wait = this.apply(outcome, from);
    // Calls held for the shim's own listing are not yet calls in flight: its answer releases
    // them all in one frame, with the session's first rule builds, which must not grow it.
    if (event.kind === 'frame') this.largeFrames.handled(event.bytes.length, this.engine.holdingCalls ? 0 : this.engine.pendingCount);
    return wait;
  }

  private firstAnswered(): void {
    if (this.answered) return;
    this.answered = true;
    this.options.afterFirstAnswer?.();
  }

  // Writes what the engine decided and audits it; returns a promise when a destination is full.
  // Nothing of the outcome is kept past this: the engine reuses the usual frame's (reuseOutcomes).
  private apply(decided: Outcome, reading?: 'client' | 'server'): Promise<void> | undefined {
    // No request goes on unrecorded once the audit file has failed (see src/audit/gate.ts).
    const outcome = this.auditFailed || this.options.audit.failed?.() ? this.auditGone(decided) : decided;
    let serverFull = false;
    let clientFull = false;
    const bytesTo = reading === undefined ? undefined : this.bytesTo[reading];
    for (const output of outcome.outputs) {
      if (bytesTo !== undefined && typeof output.data !== 'string') bytesTo[output.to] = true;
      if (output.to === 'server') serverFull = !this.toServer.write(output.data) || serverFull;
      else {
        clientFull = !this.toClient.write(output.data) || clientFull;
        this.firstAnswered();
      }
    }
    this.audit(outcome);
    this.scheduleExpiry();
    if (this.clientEnded && !this.terminating && !this.engine.holdingCalls) this.shutDown();
    return this.waitFor(reading, serverFull, clientFull);
  }

  // Approval questions wait on the clock (the one wall-clock decision): a timer for the
  // earliest deadline hands the engine the time, and what it decides is applied like a frame's.
  private scheduleExpiry(): void {
    const clock = this.options.approval?.nowMs;
    // (Most sessions: no one to ask, so never a timer, and no deadline to look up.)
    if (clock === undefined && this.expiryTimer === undefined) return;
    const next = this.engine.nextApprovalDeadline;
    if (next === undefined || clock === undefined) {
      // (Most frames: no question open, no timer to clear.)
      if (this.expiryTimer === undefined) return;
      clearTimeout(this.expiryTimer);
      this.expiryTimer = undefined;
      this.expiryAt = undefined;
      return;
    }
    if (this.expiryTimer !== undefined && this.expiryAt === next) return;
    clearTimeout(this.expiryTimer);
    this.expiryAt = next;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = undefined;
      this.expiryAt = undefined;
      this.apply(this.engine.expire(clock()));
    }, Math.max(0, next - clock()) + 1);
    this.expiryTimer.unref();
  }

  // A decision that cannot be written down must not go on being made: if the audit
  // file fails (disk full, removed volume), every request is refused from then on.
  private audit(outcome: Outcome): void {
    try {
      for (const record of outcome.records) this.options.audit.record(record);
    } catch (error) {
      this.auditGone(outcome, error);
    }
  }

  private auditGone(outcome: Outcome, error?: unknown): Outcome {
    if (!this.auditFailed) {
      this.auditFailed = true;
      const why = error instanceof Error ? error.message : error === undefined ? 'the audit file failed' : String(error);
      this.options.errorLine(`the audit trail cannot be written (${why}); every request is refused from now on`);
    }
    const gated = refuseUnrecorded(outcome, (id) => this.engine.isOwnRequest(id));
    if (gated.refusedIds) this.engine.answeredInstead(gated.refusedIds);
    if (!gated.ownDropped) return gated;
    // The shim's own listing does not go out either: the calls it held are refused now.
    const released = this.engine.abandonListing(AUDIT_UNAVAILABLE_CODE, AUDIT_UNAVAILABLE_MESSAGE, 'audit.unavailable');
    return { outputs: [...gated.outputs, ...released.outputs], records: [...gated.records, ...released.records] };
  }

  private shutDown(): void {
    if (this.terminating) return;
    this.terminating = true;
    // Stopping the server closes its stdin: frames decided before that are written first.
    this.toServer.writeHeld();
    // The grace restarts while the server is still delivering answers a client waits for
    // (and can still receive).
    const moving = this.serverOutput.movingProbe();
    void terminateChild(this.child, this.timing, () => moving() && this.engine.pendingCount > 0 && this.toClient.open);
  }

  // The server's stdout ended or its stdin failed. When that is its exit, run() takes care
  // of it; a server still running cannot answer (stdout) or be asked (stdin): what waits is
  // answered now, nothing more is read from either side, and the server is stopped.
  private streamClosed(stream: 'stdout' | 'stdin'): void {
    if (this.exited || this.closedEarly) return;
    const timer = setTimeout(() => {
      if (this.exited || this.closedEarly) return;
      this.closedEarly = true;
      this.options.audit.log('warn', `the server closed its ${stream} while still running; stopping it`);
      this.stopServer();
      this.stopClient();
      this.apply(this.engine.serverGone(`closed its ${stream}`));
      this.shutDown();
    }, CLOSED_BEFORE_EXIT_MS);
    void this.child.exited.then(() => clearTimeout(timer));
  }

  private forwardSignals(): () => void {
    const emitter = this.options.signals;
    if (!emitter) return () => undefined;
    const handlers = FORWARDED_SIGNALS.map((signal) => {
      const handler = (): void => {
        this.options.audit.log('info', `received ${signal}; forwarding it to the server`);
        this.child.signal(signal);
        void escalateAfter(this.child, this.timing.killMs);
      };
      emitter.on(signal, handler);
      return () => emitter.off(signal, handler);
    });
    return () => handlers.forEach((remove) => remove());
  }
}

function describeExit(exit: ChildExit): string {
  return exit.signal ? `process was killed by ${exit.signal}` : `process exited with code ${exit.code}`;
}
