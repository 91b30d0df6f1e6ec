/**
 * The path detector keeps verdicts from call to call (up to 1024 per compiled checks), a POSIX
 * path's keyed by its rendered text; since 908bb34 that key is the spelling's own text when
 * the text is the rendering. A spelling may be cut from a much longer string: a value sliced
 * out of its frame, or the trimmed (or NUL-cut) spelling of an argument padded to megabytes.
 * V8 keeps such a cut as a view into the longer string, so a kept key must be a copy of its
 * own, else every kept verdict holds an argument (or a frame) of megabytes alive.
 */
import { describe, expect, it } from 'vitest';
import { heapAfterGc, MB } from '../heap.js';
import { inspectPath } from '../../../src/inspect/detectors/paths/detector.js';
import { checksFor, type PathChecks } from '../../../src/inspect/detectors/paths/match.js';
import type { InspectedString, PathContext } from '../../../src/inspect/types.js';

const ctx: PathContext = { roots: ['/srv/data'], deny: [], cwd: '/srv/data', home: '/home/user', realpath: (p) => p };

const pathString = (raw: string): InspectedString => ({ path: 'path', key: 'path', isKey: false, raw, variants: [] });

// A path inside the root, read from a view into a frame of 16 MB (the frame is not kept here).
function readCutFromFrame(checks: PathChecks, i: number): void {
  const frame = `{"path":"/srv/data/reports/file-${i}.md","pad":"${'p'.repeat(16 * MB)}"}`;
  const raw = frame.slice(9, frame.indexOf('"', 9));
  expect(inspectPath(pathString(raw), ctx, checks, ctx.realpath)).toEqual([]);
}

// The same path padded with 16 MB of spaces: its trimmed spelling is a view into the argument.
function readTrimmed(checks: PathChecks, i: number): void {
  const raw = `/srv/data/reports/padded-${i}.md${' '.repeat(16 * MB)}`;
  expect(inspectPath(pathString(raw), ctx, checks, ctx.realpath)).toEqual([]);
}

describe('kept path verdicts', () => {
  it.each([
    ['a value cut from its frame', readCutFromFrame],
    ['the trimmed spelling of a padded argument', readTrimmed],
  ])('do not keep alive the long text a path was cut from: %s', (_, read) => {
    const checks = checksFor(ctx);
    const before = heapAfterGc();
    // In a function of its own, so that no long text is left in this one's variables.
    for (let i = 0; i < 4; i++) read(checks, i);
    const after = heapAfterGc();
    // Four long texts kept would be 64 MB (latin1); the keys are a few bytes each.
    expect((after - before) / MB).toBeLessThan(8);
  });
});
