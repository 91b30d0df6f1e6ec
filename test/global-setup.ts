/**
 * The suite's own per-user folders: the policy cache and the approvals folder of every shim
 * the tests start live in a temporary folder, not in the user's ~/.cache and ~/.local/state.
 * Set before the workers start, so every spawned CLI inherits them; removed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-suite-'));
  process.env.VANGUARD_CACHE_DIR = path.join(dir, 'cache');
  process.env.VANGUARD_STATE_DIR ??= path.join(dir, 'state');
  return () => rmSync(dir, { recursive: true, force: true });
}
