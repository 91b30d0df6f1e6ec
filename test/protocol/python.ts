/** Whether python3 runs here (tests that check a reading against Python's own are skipped without it). */
import { execFileSync } from 'node:child_process';

export function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'pass']);
    return true;
  } catch {
    return false;
  }
}
