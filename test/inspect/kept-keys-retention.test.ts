/**
 * What inspection keeps from call to call (path verdicts, host answers) is keyed by short texts
 * that may be cut from a long argument: a path trimmed out of megabytes of spaces, a host among
 * a long command's words. Each key must be kept as a copy of its own, not as a view of the
 * argument, or a few calls would keep many megabytes alive until the table is cleared.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { hostHits } from '../../src/inspect/detectors/network/host-hits.js';
import { findBareHosts } from '../../src/inspect/detectors/network/extract.js';
import { inspectPath } from '../../src/inspect/detectors/paths/detector.js';
import { checksFor } from '../../src/inspect/detectors/paths/match.js';
import type { NetworkContext, PathContext } from '../../src/inspect/types.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const MB = 1 << 20;
const ctx: PathContext = { roots: ['/srv/data'], deny: [], cwd: '/srv/data', home: '/home/user', realpath: (p) => p };
const net: NetworkContext = { allowHosts: [], denyHosts: [] };

// (Each in a function of its own, so that no argument is left in the test's variables.)
function readPathInSpaces(i: number): number {
  const raw = `  /srv/data/reports/kept-path-number-${i}${' '.repeat(16 * MB)}`;
  return inspectPath({ path: 'path', key: 'path', isKey: false, raw, variants: [] }, ctx, checksFor(ctx), ctx.realpath).length;
}

function readHostInCommand(i: number): number {
  const command = `ping internal-service-host-number-${i} ${'x'.repeat(16 * MB)}`;
  const bare = findBareHosts(command).find((b) => b.host.startsWith('internal-'));
  expect(bare?.host).toBe(`internal-service-host-number-${i}`);
  return hostHits(bare!, undefined, false, net, false).length;
}

describe('keys kept from call to call', () => {
  it('a path verdict does not keep the argument its path was trimmed from alive', () => {
    const before = heapAfterGc();
    for (let i = 0; i < 4; i++) expect(readPathInSpaces(i)).toBeGreaterThanOrEqual(0);
    // Four arguments kept would be 64 MB (latin1); the kept paths are a few bytes each.
    expect((heapAfterGc() - before) / MB).toBeLessThan(8);
  });
  it('a host answer does not keep the command its host was cut from alive', () => {
    const before = heapAfterGc();
    for (let i = 0; i < 4; i++) expect(readHostInCommand(i)).toBe(0);
    expect((heapAfterGc() - before) / MB).toBeLessThan(8);
  });
});
