/**
 * `vanguard approve <CODE>`: a person approves, in their own terminal, one call a client
 * without elicitation could not ask about. `--list` shows the codes waiting and what each
 * would allow. Reads and writes only the per-user approvals folder.
 */
import { VanguardError } from '../../errors.js';
import { approvalsDir, ensureApprovalsDir } from '../../approval/state-dir.js';
import { grantApproval, listPending } from '../../approval/store-file.js';
import { formatTime } from '../../limits/parse.js';

export interface ApproveArgs {
  code?: string;
  list?: boolean;
}

function describe(entry: { server: string; tool: string }, args: unknown): string {
  return `${entry.tool} on server "${entry.server}" with arguments ${JSON.stringify(args ?? {})}`;
}

/** Approve one code, or list the pending ones. Returns the exit code. */
// `vanguard approve` is a CLI subcommand; its output is for the terminal, never inside start.
export function approveCommand(args: ApproveArgs, print: (line: string) => void = (line) => void process.stdout.write(`${line}\n`)): number { // stdout-ok
  const dir = ensureApprovalsDir(approvalsDir());
  const now = Date.now();
  if (args.list) {
    const pending = listPending(dir, now);
    if (pending.length === 0) print('No calls are waiting for approval.');
    for (const entry of pending) {
      print(`${entry.code}  ${describe(entry, entry.args)}`);
      print(`          why: ${entry.reason} (rule ${entry.rule}); code expires ${formatTime(entry.expiresAtMs)}`);
    }
    return 0;
  }
  if (args.code === undefined) throw new VanguardError('USAGE', 'say which code to approve: vanguard approve <CODE> (or vanguard approve --list)', 2);
  const result = grantApproval(dir, args.code.trim().toUpperCase(), now);
  if (!result.ok) throw new VanguardError('APPROVAL_UNKNOWN', result.why, 1);
  print(`Approved ${result.granted.code}: ${describe(result.pending, result.pending.args)}, once, until ${formatTime(result.granted.expiresAtMs)}. Ask the model to retry the call.`);
  return 0;
}
