/**
 * The proxy: wires the client's streams, the server's process, the engine and the audit
 * sink together, applies the engine's outcomes, and runs the lifecycle (invariant 6).
 * Everything it touches is passed in, so tests can hand it fakes.
 */
import type { Readable, Writable } from 'node:stream';
import type { AuditSink } from '../audit/types.js';
import type { CompiledPolicy } from '../config/policy-types.js';
import { Engine } from '../engine/engine.js';
import type { Outcome } from '../engine/outcome.js';
import type { InspectFunction } from '../engine/tool-call.js';
import type { DefinitionScan } from '../engine/tool-list.js';
import type { ResultScan } from '../engine/result-answer.js';
import type { DefinitionKind, LockEntry, LockFile } from '../pinning/lock.js';
import type { FrameEvent } from '../protocol/framer.js';
import { exitCodeOf, type ChildExit, type ChildHandle, type ChildSpec } from './child.js';
import { FrameWriter } from './frame-writer.js';
import { readFrames } from './frame-reader.js';
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
}

/**
 * After the server exited, its stdout is read to the end, however slowly the client takes
 * it. Only a pipe that stays silent this long while we are ready to read it (not waiting on
 * the client) is taken to be held open by something the server left behind.
 */
const LEFTOVER_IDLE_MS = 1_000;
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

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
  private stopClient: () => void = () => undefined;
  private serverOutputDone!: Promise<void>;
  private serverOutputEnded = false;
  /** Bytes read from the server so far: tells a silent pipe from one still delivering. */
  private serverBytes = 0;

  constructor(
    private readonly options: ProxyOptions,
    private readonly child: ChildHandle,
    private readonly timing: TerminateTiming,
  ) {
    this.engine = new Engine(options.policy, { nowUs: options.nowUs, inspect: options.inspect, scanDefinition: options.scanDefinition, pins: options.pins, scanResult: options.scanResult });
    // The server went away while we were writing to it: its exit is handled below.
    this.toServer = new FrameWriter(child.stdin, () => undefined);
    this.toClient = new FrameWriter(options.clientOut, (error) => {
      options.audit.log('warn', 'client output closed; stopping the server', { error: error.message });
      this.shutDown();
    });
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

    this.child.stdout.on('data', (chunk: Buffer) => (this.serverBytes += chunk.length));
    this.serverOutputDone = new Promise<void>((resolve) => {
      readFrames(this.child.stdout, { maxFrameBytes, onEvent: (event) => this.onFrame('server', event), ...this.batching(), onEnd: resolve });
    }).then(() => {
      this.serverOutputEnded = true;
    });
    this.stopClient = readFrames(this.options.clientIn, {
      maxFrameBytes,
      onEvent: (event) => this.onFrame('client', event),
      ...this.batching(),
      onEnd: () => {
        audit.log('info', 'client input ended; stopping the server');
        this.shutDown();
      },
    });
    const removeSignals = this.forwardSignals();

    const exit = await this.child.exited;
    removeSignals();
    this.stopClient();
    await this.settleServerOutput();
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

  // Frames decided from one chunk of input go out together, one write per destination.
  private batching(): { onChunkStart(): void; onChunkEnd(): void } {
    return {
      onChunkStart: () => {
        this.toServer.cork();
        this.toClient.cork();
      },
      onChunkEnd: () => {
        this.toServer.uncork();
        this.toClient.uncork();
      },
    };
  }

  private onFrame(from: 'client' | 'server', event: FrameEvent): Promise<void> | undefined {
    let outcome: Outcome;
    try {
      if (event.kind === 'oversize') outcome = this.engine.oversize(from, event.size, event.head, event.tail);
      else outcome = from === 'client' ? this.engine.fromClient(event.bytes) : this.engine.fromServer(event.bytes);
    } catch (error) {
      // The engine does not throw by design; if it ever does, the frame goes nowhere (fail
      // closed) and a client request is answered rather than left hanging.
      outcome = this.engine.failed(from, event.kind === 'frame' ? event.bytes : event.head, error);
    }
    return this.apply(outcome);
  }

  // Writes what the engine decided and audits it; returns a promise when a destination is full.
  private apply(outcome: Outcome): Promise<void> | undefined {
    let serverFull = false;
    let clientFull = false;
    for (const output of outcome.outputs) {
      if (output.to === 'server') serverFull = !this.toServer.write(output.data) || serverFull;
      else clientFull = !this.toClient.write(output.data) || clientFull;
    }
    this.audit(outcome);
    // The writers' shared drain promises, so waiting costs nothing per frame.
    if (serverFull && clientFull) return Promise.all([this.toServer.drained(), this.toClient.drained()]).then(() => undefined);
    if (serverFull) return this.toServer.drained();
    if (clientFull) return this.toClient.drained();
    return undefined;
  }

  // A decision that cannot be written down must not go on being made: if the audit
  // file fails (disk full, removed volume), the session stops.
  private audit(outcome: Outcome): void {
    try {
      for (const record of outcome.records) this.options.audit.record(record);
    } catch (error) {
      if (this.auditFailed) return;
      this.auditFailed = true;
      this.options.errorLine(`the audit trail cannot be written (${error instanceof Error ? error.message : String(error)}); stopping the server`);
      this.shutDown();
    }
  }

  private shutDown(): void {
    if (this.terminating) return;
    this.terminating = true;
    void terminateChild(this.child, this.timing, this.deliveringProbe());
  }

  // Is the server still delivering answers a client waits for? Output has arrived since the
  // last look, or reading is paused because the client has not taken the last ones yet.
  private deliveringProbe(): () => boolean {
    let seen = this.serverBytes;
    return () => {
      const moved = this.serverBytes !== seen || this.child.stdout.isPaused();
      seen = this.serverBytes;
      return moved && this.engine.pendingCount > 0;
    };
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

  // The server's last answers may still be in the pipe when it exits: they are read to the
  // end, at the client's pace. The wait ends early only when the pipe has been silent for a
  // whole LEFTOVER_IDLE_MS while we were ready to read: then something the server left
  // behind holds it open without writing.
  private async settleServerOutput(): Promise<void> {
    const stdout = this.child.stdout;
    while (!this.serverOutputEnded) {
      const before = this.serverBytes;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.serverOutputDone, new Promise<void>((resolve) => (timer = setTimeout(resolve, LEFTOVER_IDLE_MS)))]);
      clearTimeout(timer);
      // A timer may fire first after the loop was held up; one more turn lets any input
      // already waiting in the pipe be read before the pipe is called silent.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.serverOutputEnded) return;
      const silent = this.serverBytes === before && !stdout.isPaused() && stdout.readableLength === 0;
      if (silent) {
        this.options.audit.log('warn', 'the server exited but its stdout stayed open and silent (a process it left behind?); not waiting for it');
        return;
      }
    }
  }
}

function describeExit(exit: ChildExit): string {
  return exit.signal ? `process was killed by ${exit.signal}` : `process exited with code ${exit.code}`;
}
