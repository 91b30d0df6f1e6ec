/**
 * node:crypto, loaded when first used.
 *
 * A start spawns the server as soon as the policy is checked, and nothing it does before that
 * needs crypto: its caches are checked with CRC-32 (crc32.ts), the session's id is made with
 * its first audit line. Loading node:crypto took 2-4 ms of every start on Node 20 and 22 and
 * 5-7 on Node 24. The modules a start runs before the spawn reach it through this function,
 * never a top-level import; test/cli/start-builtins.test.ts holds a start to it.
 */
import type * as Crypto from 'node:crypto';

let loaded: typeof Crypto | undefined;

export function nodeCrypto(): typeof Crypto {
  return (loaded ??= process.getBuiltinModule('node:crypto') as typeof Crypto);
}
