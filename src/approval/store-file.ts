/**
 * The out-of-band store in the state folder: `<code>.pending.json` written by the shim when
 * it offers a code, `<code>.approved.json` written by `vanguard approve`, taken once by the
 * shim (renamed away before it is read as granted, so two shims cannot both use it). Files
 * are 0600, written whole (temporary file, then rename).
 */
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CODE_PATTERN, sameBinding } from './binding.js';
import type { ApprovalStore, Binding, GrantedApproval, PendingCode } from './types.js';

const PENDING = '.pending.json';
const APPROVED = '.approved.json';

function writeWhole(file: string, value: unknown): void {
  const temporary = `${file}.${process.pid}.tmp`;
  // A fresh file, so the mode applies (a leftover from a crash is replaced, not reused).
  rmSync(temporary, { force: true });
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, file);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function codeFile(dir: string, code: string, suffix: string): string {
  if (!CODE_PATTERN.test(code)) throw new Error(`not an approval code: ${JSON.stringify(code)}`);
  return path.join(dir, `${code}${suffix}`);
}

/** The shim's side: offer codes, take approvals. */
export function fileApprovalStore(dir: string): ApprovalStore {
  return {
    offer(entry: PendingCode): void {
      writeWhole(codeFile(dir, entry.code, PENDING), entry);
    },
    consume(code: string, binding: Binding, nowMs: number): GrantedApproval | undefined {
      const file = codeFile(dir, code, APPROVED);
      const fits = (g: GrantedApproval | undefined): g is GrantedApproval => g !== undefined && g.code === code && sameBinding(g, binding) && g.expiresAtMs > nowMs;
      // An approval for another call is left alone; one for this call is renamed away first, so only one taker gets it.
      if (!fits(readJson<GrantedApproval>(file))) return undefined;
      const taken = `${file}.taken-${process.pid}`;
      try {
        renameSync(file, taken);
      } catch {
        return undefined;
      }
      const granted = readJson<GrantedApproval>(taken);
      rmSync(taken, { force: true });
      if (!fits(granted)) return undefined;
      rmSync(codeFile(dir, code, PENDING), { force: true });
      return granted;
    },
  };
}

/** The codes waiting for approval that have not expired (expired ones are removed). */
export function listPending(dir: string, nowMs: number): PendingCode[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: PendingCode[] = [];
  for (const name of names.filter((n) => n.endsWith(PENDING)).sort()) {
    const entry = readJson<PendingCode>(path.join(dir, name));
    if (!entry || !CODE_PATTERN.test(entry.code) || name !== `${entry.code}${PENDING}`) continue;
    if (!(entry.expiresAtMs > nowMs)) {
      rmSync(path.join(dir, name), { force: true });
      continue;
    }
    out.push(entry);
  }
  return out;
}

/** Record the approval of a pending code, usable once until now + its ttl. Returns it, or why not. */
export function grantApproval(dir: string, code: string, nowMs: number): { ok: true; granted: GrantedApproval; pending: PendingCode } | { ok: false; why: string } {
  if (!CODE_PATTERN.test(code)) return { ok: false, why: `"${code}" is not an approval code (8 letters and digits)` };
  const pending = readJson<PendingCode>(codeFile(dir, code, PENDING));
  if (!pending || pending.code !== code) return { ok: false, why: `no call is waiting for approval code ${code} (see vanguard approve --list)` };
  if (!(pending.expiresAtMs > nowMs)) return { ok: false, why: `approval code ${code} has expired; retry the call to get a new one` };
  const granted: GrantedApproval = { code, server: pending.server, tool: pending.tool, argsHash: pending.argsHash, approvedAtMs: nowMs, expiresAtMs: nowMs + pending.ttlMs };
  writeWhole(codeFile(dir, code, APPROVED), granted);
  return { ok: true, granted, pending };
}

/** The store in a folder made (0700) on first use, so a session that never asks leaves no trace. */
export function lazyFileApprovalStore(dir: () => string): ApprovalStore {
  let store: ApprovalStore | undefined;
  const open = (): ApprovalStore => (store ??= fileApprovalStore(dir()));
  return {
    offer: (entry) => open().offer(entry),
    consume: (code, binding, nowMs) => open().consume(code, binding, nowMs),
  };
}
