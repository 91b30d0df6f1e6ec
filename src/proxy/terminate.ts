/**
 * Stopping the server the polite way first: close its stdin, wait, SIGTERM, wait,
 * SIGKILL (invariant 6).
 */
import type { ChildExit, ChildHandle } from './child.js';

export interface TerminateTiming {
  /** How long the server gets to exit on its own after stdin closes. */
  graceMs: number;
  /** How long it gets after SIGTERM before SIGKILL. */
  killMs: number;
}

export const DEFAULT_TERMINATE_TIMING: TerminateTiming = { graceMs: 2_000, killMs: 2_000 };

function within(exited: Promise<ChildExit>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void exited.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * However long the server keeps delivering answers at a slow client's pace, the grace after
 * its stdin closed ends this long after it began: the far-away last resort.
 */
const MAX_DELIVERING_MS = 60_000;

/**
 * Close the child's stdin, then escalate until it has exited. `delivering` says whether the
 * server is still writing answers the client is waiting for (checked once per grace period):
 * while it is, the grace starts over, so a slow client does not cost it its answers.
 */
export async function terminateChild(child: ChildHandle, timing: TerminateTiming, delivering: () => boolean = () => false): Promise<ChildExit> {
  if (!child.stdin.destroyed) child.stdin.end();
  const started = Date.now();
  let exited = await within(child.exited, timing.graceMs);
  // A grace of 0 asked for none, so there is none to restart.
  while (!exited && timing.graceMs > 0 && delivering() && Date.now() - started < MAX_DELIVERING_MS) exited = await within(child.exited, timing.graceMs);
  if (exited) return child.exited;
  child.signal('SIGTERM');
  if (await within(child.exited, timing.killMs)) return child.exited;
  child.signal('SIGKILL');
  return child.exited;
}

/** After a forwarded signal: SIGKILL if the child is still there after killMs. */
export async function escalateAfter(child: ChildHandle, killMs: number): Promise<void> {
  if (!(await within(child.exited, killMs))) child.signal('SIGKILL');
}
