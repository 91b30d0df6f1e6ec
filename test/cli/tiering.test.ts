/**
 * The session's compiler tiers (src/cli/heap-settings.ts, holdTiering): TurboFan without Maglev,
 * from the warm-up on (a second after the first answer). Read from V8's own code log
 * (--log-code), whose code-creation lines give the time and end with the tier of the code made:
 * `+` Maglev, `*` TurboFan (Node 24 adds a mark after it). Node 20 and 22 have Maglev off
 * already; on Node 24 (V8 13) it is on, and a control without the filter must show Maglev code
 * there, so the reading is checked where it matters.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WARM_UP_DELAY_MS } from '../../src/cli/warm-up.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(root, 'bin', 'vanguard.js');
const SERVER = path.join(root, 'test', 'fixtures', 'servers', 'tiny-server.mjs');
const HEAP_SETTINGS = path.join(root, 'dist', 'cli', 'heap-settings.js');
// Maglev is on by default from V8 13 (Node 24) among the versions supported.
const MAGLEV_BY_DEFAULT = Number(process.versions.v8.split('.')[0]) >= 13;
// A child that has not exited by then is killed and the case fails.
const GIVE_UP_MS = 20_000;
const CALLS = 6000;

const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-tiering-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let logs = 0;
const logFlags = (file: string): string[] => ['--log-code', `--logfile=${file}`, '--no-logfile-per-isolate'];

/**
 * The tiers of the optimised code made for functions whose logged name `named` accepts, from the
 * first code made for a function named `from` on (from the start when `from` is not given).
 */
function tiersIn(file: string, named: (name: string) => boolean, from?: string): { maglev: number; turbofan: number } {
  const counts = { maglev: 0, turbofan: 0 };
  let counting = from === undefined;
  for (const line of readFileSync(file, 'latin1').split('\n')) {
    if (!line.startsWith('code-creation,JS,')) continue;
    const fields = line.split(',');
    const tier = fields.at(-1) ?? '';
    // The name is between the size and the last two fields (its shared info's address and the tier).
    const name = fields.slice(6, -2).join(',');
    if (!counting && name.startsWith(`${from} `)) counting = true;
    if (!counting || !named(name)) continue;
    if (tier.startsWith('+')) counts.maglev++;
    else if (tier.startsWith('*')) counts.turbofan++;
  }
  if (!counting) throw new Error(`no code was made for ${from}`);
  return counts;
}

/** The tiers of a small hot function in a fresh process, with the session's tiering set first or not. */
function hotFunctionTiers(held: boolean): { maglev: number; turbofan: number } {
  const file = path.join(dir, `hot-${logs++}.log`);
  const script = `
    ${held ? `(await import(${JSON.stringify(HEAP_SETTINGS)})).holdTiering();` : ''}
    function vanguardHot(n) { let s = 0; for (let i = 0; i < 20; i++) s = (s * 31 + n + i) | 0; return s; }
    let sum = 0;
    for (let i = 0; i < 300000; i++) sum ^= vanguardHot(i);
    console.log(sum);`;
  execFileSync(process.execPath, [...logFlags(file), '--input-type=module', '-e', script], { encoding: 'utf8' });
  return tiersIn(file, (name) => name.startsWith('vanguardHot '));
}

/**
 * The real built CLI in front of tiny-server, CALLS calls sent 500 at a time once the warm-up has
 * begun: the tiers of the bundles' code made from the first call on (decideToolCall is first
 * compiled then).
 */
function shimTiers(): Promise<{ maglev: number; turbofan: number }> {
  const file = path.join(dir, `shim-${logs++}.log`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...logFlags(file), CLI, 'start', '--', process.execPath, SERVER], { stdio: ['pipe', 'pipe', 'ignore'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within ${GIVE_UP_MS} ms (${answered} of ${CALLS} calls answered)`));
    }, GIVE_UP_MS);
    let answered = 0;
    let sent = 0;
    let rest = '';
    const batch = (): void => {
      let text = '';
      for (const end = Math.min(CALLS, sent + 500); sent < end; sent++) text += `${JSON.stringify({ jsonrpc: '2.0', id: 10 + sent, method: 'tools/call', params: { name: 'echo', arguments: { text: `call ${sent}` } } })}\n`;
      child.stdin.write(text);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const id = (JSON.parse(line) as { id?: unknown }).id;
        if (id === 1) setTimeout(batch, WARM_UP_DELAY_MS + 500);
        else if (typeof id === 'number' && id >= 10 && ++answered % 500 === 0) {
          if (sent < CALLS) batch();
          else child.stdin.end();
        }
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', () => {
      clearTimeout(timer);
      if (answered !== CALLS) reject(new Error(`${answered} of ${CALLS} calls answered`));
      else resolve(tiersIn(file, (name) => name.includes('bundle.cjs:'), 'decideToolCall'));
    });
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'tiering-test', version: '1' } } })}\n`);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  });
}

describe('holdTiering', () => {
  it('keeps a hot function from Maglev, which a control without it reaches on Node 24, and lets it reach TurboFan', () => {
    const control = hotFunctionTiers(false);
    const held = hotFunctionTiers(true);
    if (MAGLEV_BY_DEFAULT) expect(control.maglev).toBeGreaterThan(0);
    else expect(control.maglev).toBe(0);
    expect(control.turbofan).toBeGreaterThan(0);
    expect(held.maglev).toBe(0);
    expect(held.turbofan).toBeGreaterThan(0);
  });

  it('holds in the real start from the warm-up on: over thousands of calls the bundles compile nothing with Maglev, and much with TurboFan', async () => {
    const tiers = await shimTiers();
    expect(tiers.maglev).toBe(0);
    expect(tiers.turbofan).toBeGreaterThan(20);
  }, 30_000);
});
