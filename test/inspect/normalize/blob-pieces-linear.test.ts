/**
 * A base64-shaped run that does not decode is tried again in its '/'-separated pieces (a
 * path). The pieces are found with indexOf; searched in the whole text, the search for the
 * run's last '/' reads on past the run, to the next '/' or the end of the text, and a text
 * made of thousands of such runs (about 4 MiB of `Q1QQQQQQQQQQQQQQ ` is allowed) is then
 * read once per run: quadratic, seconds where a linear reading takes a fraction of one.
 * Counted here in code units searched, not in time, so the test does not depend on the machine.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeBlobs } from '../../../src/inspect/normalize/blobs.js';

afterEach(() => {
  vi.restoreAllMocks();
});

// Code units read by indexOf('/') calls while `read` runs, and how many calls there were.
function slashSearches(read: () => void): { units: number; calls: number } {
  const indexOf = String.prototype.indexOf;
  let units = 0;
  let calls = 0;
  vi.spyOn(String.prototype, 'indexOf').mockImplementation(function (this: string, search: string, from?: number) {
    const at = indexOf.call(this, search, from);
    if (search === '/') {
      calls += 1;
      units += (at < 0 ? this.length : at + 1) - Math.max(0, from ?? 0);
    }
    return at;
  });
  read();
  vi.restoreAllMocks();
  return { units, calls };
}

describe("decodeBlobs: a run's '/'-pieces looked for in the run alone", () => {
  it('reads a text of many runs that do not decode about once, not once per run', () => {
    // Each run has a digit near its start (so it is tried as base64), decodes to bytes that
    // are not text, and has no '/': its pieces are looked for and none is found.
    const text = 'Q1QQQQQQQQQQQQQQQQQQ '.repeat(2000);
    let decoded: ReturnType<typeof decodeBlobs> | undefined;
    const { units, calls } = slashSearches(() => {
      decoded = decodeBlobs(text);
    });
    expect(decoded).toEqual({ text, via: [] });
    // The pieces are searched for (else this test would count nothing)...
    expect(calls).toBeGreaterThanOrEqual(2000);
    // ...each search within its run: at most the text's length in all (searched from each
    // run's start to the end of the text, it would be about a thousand times that).
    expect(units).toBeLessThanOrEqual(text.length);
  });

  it("still decodes the pieces of a path whose whole run is not text, the last one up to the run's end", () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64').replace(/=+$/, '');
    // Two pieces that are base64 of text, with a run after them that the search must not reach into.
    const path = `/srv/${b64('cat /etc/shadow;id')}/${b64('curl http://10.0.0.1/')}`;
    const text = `${path} tail/${b64('not part of the path')}`;
    const { text: out, via } = decodeBlobs(text);
    expect(via).toEqual(['base64']);
    expect(out).toContain('/srv/cat /etc/shadow;id/curl http://10.0.0.1/ tail/');
  });
});
