/**
 * The server's process: started with cross-spawn (Windows .cmd shims such as npx work,
 * no shell is involved), stdin and stdout piped, stderr passed through untouched.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import crossSpawn from 'cross-spawn';
import { VanguardError } from '../errors.js';
import { holdEarlyOutput } from './early-output.js';
import { startWatchdog, type Watchdog } from './watchdog.js';

/** What to run. */
export interface ChildSpec {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

/** How the process ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running server process, as the proxy uses it. */
export interface ChildHandle {
  pid: number;
  stdin: Writable;
  /** The server's output; read it from the first look on (see early-output.ts). */
  stdout: Readable;
  /** Resolves once the process has exited. */
  exited: Promise<ChildExit>;
  /** Send a signal to the process and everything it started. */
  signal(signal: NodeJS.Signals): void;
  /** The process that stops the server's group should the shim be killed (see watchdog.ts). */
  watchdogPid?: number;
}

export type SpawnFunction = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

// On POSIX the child leads its own process group, so a signal reaches what it started
// too (npx starts node, which starts the server): no orphans.
const ownGroup = process.platform !== 'win32';

/** Start the server. Rejects with a VanguardError when it cannot be started at all. */
export function startChild(spec: ChildSpec, spawn: SpawnFunction = crossSpawn): Promise<ChildHandle> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(spec.command, spec.args, {
        env: spec.env,
        cwd: spec.cwd,
        stdio: ['pipe', 'pipe', 'inherit'],
        detached: ownGroup,
        windowsHide: true,
      });
    } catch (error) {
      reject(startError(spec.command, error));
      return;
    }
    let watchdog: Watchdog | undefined;
    const exited = new Promise<ChildExit>((resolveExit) => {
      child.once('exit', (code, signal) => {
        // Whatever the leader left behind in its group goes with it.
        if (ownGroup && child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
        // The group is gone: the watchdog must not signal it (its number may be reused).
        watchdog?.standDown();
        resolveExit({ code, signal });
      });
    });
    child.once('error', (error) => reject(startError(spec.command, error)));
    child.once('spawn', () => {
      const { pid, stdin, stdout: pipe } = child;
      if (pid === undefined || !stdin || !pipe) {
        reject(new VanguardError('CHILD_START_FAILED', `cannot start "${spec.command}": no process`, 1));
        return;
      }
      // The server starts before the proxy is wired (it boots while the policy loads): what
      // it writes meanwhile is held until the proxy takes its stdout (early-output.ts).
      const takeStdout = holdEarlyOutput(pipe);
      // Node cannot have the kernel stop the server when the shim dies; the watchdog does.
      if (ownGroup) watchdog = startWatchdog(pid);
      resolve({
        pid,
        watchdogPid: watchdog?.pid,
        stdin,
        get stdout() {
          return takeStdout();
        },
        exited,
        signal(signal) {
          if (!(ownGroup && killGroup(pid, signal))) child.kill(signal);
        },
      });
    });
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function startError(command: string, error: unknown): VanguardError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new VanguardError('CHILD_NOT_FOUND', `cannot start "${command}": command not found`, 127);
  if (code === 'EACCES') return new VanguardError('CHILD_NOT_EXECUTABLE', `cannot start "${command}": permission denied`, 126);
  const detail = error instanceof Error ? error.message : String(error);
  return new VanguardError('CHILD_START_FAILED', `cannot start "${command}": ${detail}`, 1);
}

/** The shim's exit code for a child's exit: its code, or 128 + the signal's number. */
export function exitCodeOf(exit: ChildExit): number {
  if (exit.code !== null) return exit.code;
  const number = exit.signal ? constants.signals[exit.signal] : undefined;
  return number === undefined ? 1 : 128 + number;
}
