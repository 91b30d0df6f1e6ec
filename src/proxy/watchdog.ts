/**
 * A watchdog for the server's process group, for when the shim itself is killed (SIGKILL,
 * OOM killer, a crash): Node cannot ask the kernel to signal a child when its parent dies
 * (Linux's PR_SET_PDEATHSIG), so a tiny shell holds the read end of a pipe from the shim.
 * The shim never writes to it until the server has exited; only the shim's death closes
 * it. EOF without a word means the shim is gone: the watchdog sends SIGTERM to the
 * server's group, gives it a moment, then SIGKILL. POSIX only.
 */
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';

/** How the shim tells its watchdog that the server is gone and nothing is left to do. */
export interface Watchdog {
  pid: number | undefined;
  /** The server exited and its group was stopped: the watchdog leaves without a signal. */
  standDown(): void;
}

// $1: the server's process group. A line on stdin: stand down. EOF: the shim died. The
// group gets SIGTERM, then up to ten looks 0.1 s apart, then SIGKILL. `kill -0` on a group
// that is gone fails, so a well-behaved server costs one look.
const SCRIPT = [
  'read -r line && exit 0',
  'kill -TERM "-$1" 2>/dev/null || exit 0',
  'n=0',
  'while [ $n -lt 10 ]; do kill -0 "-$1" 2>/dev/null || exit 0; sleep 0.1; n=$((n+1)); done',
  'kill -KILL "-$1" 2>/dev/null',
].join('\n');

/**
 * Start the watchdog for the process group `group` (the server's pid: it leads its own
 * group). Returns undefined where there is no POSIX shell (Windows).
 */
export function startWatchdog(group: number, shell = '/bin/sh'): Watchdog | undefined {
  if (process.platform === 'win32') return undefined;
  // Its own session and group (detached): a signal to the server's group, or a Ctrl-C to
  // the terminal's, does not reach it. Its stdout and stderr are /dev/null, so it holds
  // none of the client's pipes open once the shim is gone.
  const watchdog = spawn(shell, ['-c', SCRIPT, 'vanguard-watchdog', String(group)], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  // A shell that cannot be started leaves the shim without this safety net, not without
  // its server: the normal exit paths stop the group themselves.
  watchdog.on('error', () => undefined);
  const pipe = watchdog.stdin as Writable & { unref?(): void };
  pipe.on('error', () => undefined);
  // Neither the watchdog nor its pipe keeps the shim's event loop alive.
  watchdog.unref();
  pipe.unref?.();
  let done = false;
  return {
    pid: watchdog.pid,
    standDown() {
      if (done) return;
      done = true;
      pipe.end('stand down\n');
    },
  };
}
