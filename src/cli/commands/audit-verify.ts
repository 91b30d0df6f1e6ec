/** `vanguard audit verify FILE [FILE…]`: check hash-chained audit files offline. */
import { verifyAuditFiles } from '../../audit/index.js';

/**
 * Returns the exit code: 0 intact, 1 tampered or unreadable. Several files are read as one
 * log, oldest first (a rotated file, then the file that continues it).
 */
export function auditVerifyCommand(file: string, ...more: string[]): number {
  const files = [file, ...more];
  const label = files.join(', ');
  const result = verifyAuditFiles(files);
  if (result.ok) {
    const sessions = result.sessions === undefined ? '' : ` in ${result.sessions} sessions`;
    const continued = result.continued === undefined ? '' : `; ${result.continued} session(s) continue from an earlier file not given here`;
    process.stdout.write(`${label}: ${result.records} records${sessions}, chain intact${continued}${result.lastHash ? `; last hash ${result.lastHash}` : ''}\n`); // stdout-ok: CLI output
    return 0;
  }
  process.stdout.write(`${label}: ${result.problem?.message ?? 'chain broken'}\n`); // stdout-ok: CLI output
  return 1;
}
