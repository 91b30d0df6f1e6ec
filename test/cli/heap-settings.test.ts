/**
 * The young generation held at its cap from the start of a session, in a real Node process:
 * under allocation whose objects survive a while (as calls in flight do), V8 doubles it up
 * to 32 MiB unless held, and the proxy's own look every 64 KiB of frames came too late.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GROW_YOUNG_FROM_CALLS, YOUNG_CAP_BYTES, youngGrowthFor } from '../../src/proxy/large-frames.js';
import { OLD_GROWTH_PERCENT } from '../../src/cli/heap-settings.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// The most the young generation held in a fresh process that allocates survivors, with or
// without the hold; `busy`: the proxy's look saw that many calls in flight.
function youngPeak(hold: boolean, busy = 10_000): { start: number; peak: number } {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    if (${hold}) {
      (await import(${JSON.stringify(path.join(root, 'dist', 'cli', 'heap-settings.js'))})).holdYoungGeneration();
      const { LargeFrameRelease, LOOK_EVERY_BYTES } = await import(${JSON.stringify(path.join(root, 'dist', 'proxy', 'large-frames.js'))});
      new LargeFrameRelease().handled(LOOK_EVERY_BYTES, ${busy});
    }
    const start = young();
    const ring = new Array(200000);
    let peak = 0;
    for (let i = 0; i < 4e6; i++) {
      ring[i % 200000] = { s: 'call ' + i };
      // Collections run in between, and with them the hold's look.
      if (i % 20000 === 0) { peak = Math.max(peak, young()); await new Promise((r) => setImmediate(r)); }
    }
    console.log(JSON.stringify({ start, peak: Math.max(peak, young()) }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim()) as { start: number; peak: number };
}

describe('holdYoungGeneration', () => {
  it('lets the young generation double only while the doubled size stays within the cap', () => {
    const busy = GROW_YOUNG_FROM_CALLS;
    expect(youngGrowthFor(YOUNG_CAP_BYTES / 4, busy)).toBe(2);
    expect(youngGrowthFor(YOUNG_CAP_BYTES / 2, busy)).toBe(2);
    expect(youngGrowthFor(YOUNG_CAP_BYTES / 2 + 1, busy)).toBe(1);
    expect(youngGrowthFor(YOUNG_CAP_BYTES, busy)).toBe(1);
  });

  it('lets it grow at all only with GROW_YOUNG_FROM_CALLS calls or more in flight', () => {
    expect(youngGrowthFor(YOUNG_CAP_BYTES / 4, 0)).toBe(1);
    expect(youngGrowthFor(YOUNG_CAP_BYTES / 4, GROW_YOUNG_FROM_CALLS - 1)).toBe(1);
    expect(youngGrowthFor(YOUNG_CAP_BYTES / 4, 10_000)).toBe(2);
  });

  it('holds the young generation at its cap in a real process, which grows past it without the hold', () => {
    const free = youngPeak(false).peak;
    const held = youngPeak(true).peak;
    expect(free).toBeGreaterThan(YOUNG_CAP_BYTES);
    if (Number(process.versions.node.split('.')[0]) < 24) {
      expect(held).toBeLessThanOrEqual(YOUNG_CAP_BYTES);
    } else {
      // Node 24's V8 also grows the young generation a page at a time once it is large, which
      // the growth factor does not stop: held, it measured 18-29 MiB here, unheld 128 MiB.
      // The hold still keeps it far below where it goes without; the cap is not exact there.
      expect(held).toBeLessThan(free / 2);
    }
  }, 60_000);

  it('holds it where it started while few calls are in flight, survivors or not (the warm-up, the rules built on the first calls)', () => {
    // (V8 still grows a young generation as small as a fresh process's once, 1 to 2 MiB here;
    // the shim's is 8 MiB by its first answer, and stays there.) Without calls in flight, the
    // hold before this change let it double up to the cap (16 MiB then).
    const idle = youngPeak(true, GROW_YOUNG_FROM_CALLS - 1);
    if (Number(process.versions.node.split('.')[0]) >= 24) {
      // Node 24's V8 grows it a page at a time whatever the growth factor (see above): held
      // and idle it measured 16-23 MiB here, as much as busy, so holding it where it started
      // saves nothing there. What holds is what the test above holds: far below unheld.
      expect(idle.peak).toBeLessThan(youngPeak(false).peak / 2);
      return;
    }
    expect(idle.peak).toBeLessThanOrEqual(Math.max(2 * idle.start, YOUNG_CAP_BYTES / 8));
    // The same survivors with calls in flight: it grows, up to the cap.
    const busy = youngPeak(true);
    expect(busy.peak).toBeGreaterThan(YOUNG_CAP_BYTES / 2);
    expect(busy.peak).toBeGreaterThan(idle.peak);
  }, 60_000);
});

// The most the old generation held in a fresh process where objects live long enough to be
// promoted and then die (as calls in flight do), with or without holdOldGeneration.
function oldPeak(hold: boolean): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    if (${hold}) (await import(${JSON.stringify(path.join(root, 'dist', 'cli', 'heap-settings.js'))})).holdOldGeneration();
    const old = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_size;
    const kept = [];
    for (let i = 0; i < 300000; i++) kept.push({ s: 'kept ' + i });
    const ring = new Array(300000);
    let peak = 0;
    for (let i = 0; i < 6e6; i++) {
      ring[i % 300000] = { s: 'call ' + i };
      if (i % 20000 === 0) { peak = Math.max(peak, old()); await new Promise((r) => setImmediate(r)); }
    }
    if (kept.length !== 300000) throw new Error('the kept objects are gone');
    console.log(JSON.stringify(Math.max(peak, old())));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim()) as number;
}

describe('holdOldGeneration', () => {
  it('lets the old generation grow by at most OLD_GROWTH_PERCENT between full collections, which V8 alone lets grow further', () => {
    expect(OLD_GROWTH_PERCENT).toBeLessThanOrEqual(100);
    // Measured 98-122 MB unheld and 60-63 MB held on Node 20, 22 and 24.
    const free = oldPeak(false);
    const held = oldPeak(true);
    expect(held).toBeLessThan(free * 0.75);
  }, 60_000);
});
