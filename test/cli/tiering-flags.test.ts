import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tieringFlags } from '../../src/cli/tiering-flags.js';

describe('tieringFlags', () => {
  it.each([
    ['12.4.254.21-node.57', ['--invocation-count-for-turbofan=500']],
  ])('chooses the flags measured for V8 %s', (version, flags) => {
    expect(tieringFlags(version)).toEqual(flags);
  });

  it.each(['10.2.154.26-node.26', '11.3.244.8-node.38', '13.6.233.17-node.53', '14.1.146.11-node.10', '', 'not-a-version'])('sets nothing under a V8 where it did not pay or was not measured (%s)', (version) => {
    expect(tieringFlags(version)).toEqual([]);
  });

  // Only where this Node gets flags (Node 22; under Node 20 and 24 there is nothing to check: skipped, not passed).
  const here = tieringFlags(process.versions.v8);

  it.runIf(here.length > 0)("names only flags this Node's V8 knows (an unknown one is an error line on stderr)", () => {
    const known = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    for (const flag of here) {
      const name = flag.slice(2, flag.indexOf('='));
      expect(known).toMatch(new RegExp(`^\\s+--${name} `, 'm'));
    }
  });

  it.runIf(here.length > 0)('sets them in a real Node without a word on stderr or stdout', () => {
    const flags = here;
    const run = spawnSync(process.execPath, ['-e', `const v8 = require('node:v8'); for (const f of ${JSON.stringify(flags)}) v8.setFlagsFromString(f);`], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr + run.stdout).toBe('');
  });

  it('a flag V8 does not know is reported on stderr (what the version check avoids)', () => {
    const run = spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString('--vanguard-no-such-flag=1')`], { encoding: 'utf8' });
    expect(run.stderr).toContain('vanguard-no-such-flag');
  });
});
