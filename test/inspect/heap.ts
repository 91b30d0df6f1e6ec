/**
 * The heap in use after full collections, for tests that hold a table to keeping no long text
 * alive (quiet strings, kept host answers, kept path verdicts).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

export const MB = 1 << 20;

/** Heap in use after two full collections. */
export function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
