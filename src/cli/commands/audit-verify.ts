/** `vanguard audit verify FILE`: check a hash-chained audit file offline. */
import { verifyAuditFile } from '../../audit/index.js';

/** Returns the exit code: 0 intact, 1 tampered or unreadable. */
export function auditVerifyCommand(file: string): number {
  const result = verifyAuditFile(file);
  if (result.ok) {
    process.stdout.write(`${file}: ${result.records} records, chain intact${result.lastHash ? `; last hash ${result.lastHash}` : ''}\n`); // stdout-ok: CLI output
    return 0;
  }
  process.stdout.write(`${file}: ${result.problem?.message ?? 'chain broken'}\n`); // stdout-ok: CLI output
  return 1;
}
