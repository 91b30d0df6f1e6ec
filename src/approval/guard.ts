/**
 * Nothing the model can write grants an approval. The model is told a code and the
 * command that approves it; a call whose arguments carry that code, or the command, while
 * a code is pending (a shell tool told to run `vanguard approve`, a file tool told to write
 * the approval) is refused.
 */
import type { SessionState } from '../engine/session.js';
import { approvalsOf } from './session.js';

const COMMAND = /vanguard[\s"'\\]+approve/i;

/** True when the arguments mention a pending code or the approve command while a code is pending. */
export function mentionsApproval(state: SessionState, args: unknown): boolean {
  const session = approvalsOf(state);
  // No code offered (most sessions, most calls): nothing to mention, no clock read or copy.
  if (session.offered.size === 0) return false;
  // Codes past their time can no longer be approved: they stop counting here.
  const now = session.edge?.nowMs() ?? 0;
  const offered = [...session.offered].filter(([, entry]) => entry.expiresAtMs > now).map(([code]) => code);
  if (offered.length === 0 || args === undefined) return false;
  let text: string;
  try {
    text = JSON.stringify(args).toUpperCase();
  } catch {
    return true;
  }
  if (COMMAND.test(text)) return true;
  return offered.some((code) => text.includes(code));
}
