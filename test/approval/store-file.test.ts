import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bindingOf } from '../../src/approval/binding.js';
import { approvalsDir, ensureApprovalsDir } from '../../src/approval/state-dir.js';
import { fileApprovalStore, grantApproval, listPending } from '../../src/approval/store-file.js';
import type { PendingCode } from '../../src/approval/types.js';

const work = mkdtempSync(path.join(tmpdir(), 'vanguard-approvals-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const binding = bindingOf('srv', 'deploy', { env: 'prod' });
const pending = (code: string, now: number): PendingCode => ({ ...binding, code, args: { env: 'prod' }, reason: 'r', rule: 'tools.actions:deploy', createdAtMs: now, expiresAtMs: now + 1000, ttlMs: 5000 });

describe('the approvals folder', () => {
  it('is found where the platform keeps per-user state, VANGUARD_STATE_DIR first', () => {
    expect(approvalsDir({ VANGUARD_STATE_DIR: '/x/state' }, 'linux')).toBe(path.join('/x/state', 'approvals'));
    expect(approvalsDir({ XDG_STATE_HOME: '/x/xdg' }, 'linux')).toBe(path.join('/x/xdg', 'vanguard', 'approvals'));
    // A relative XDG_STATE_HOME is invalid by the spec and ignored.
    expect(approvalsDir({ XDG_STATE_HOME: 'rel' }, 'darwin')).toMatch(/\.local[\\/]state[\\/]vanguard[\\/]approvals$/);
    expect(approvalsDir({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32')).toContain(path.join('vanguard', 'approvals'));
  });

  it.skipIf(process.platform === 'win32')('is made owner-only, and tightened when something loosened it', () => {
    const dir = ensureApprovalsDir(path.join(work, 'a', 'approvals'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    chmodSync(dir, 0o777);
    ensureApprovalsDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});

describe('the file store', () => {
  it('grants a pending code once, for its binding only, until it expires; files are 0600', () => {
    const dir = ensureApprovalsDir(path.join(work, 'b'));
    const store = fileApprovalStore(dir);
    store.offer(pending('ABCDEFGH', 1000));
    expect(listPending(dir, 1500).map((p) => p.code)).toEqual(['ABCDEFGH']);
    expect(store.consume('ABCDEFGH', binding, 1500)).toBeUndefined();
    const granted = grantApproval(dir, 'ABCDEFGH', 1500);
    expect(granted).toMatchObject({ ok: true, granted: { tool: 'deploy', expiresAtMs: 6500 } });
    if (process.platform !== 'win32') for (const f of readdirSync(dir)) expect(statSync(path.join(dir, f)).mode & 0o777, f).toBe(0o600);
    expect(store.consume('ABCDEFGH', bindingOf('srv', 'deploy', { env: 'staging' }), 1600)).toBeUndefined();
    expect(store.consume('ABCDEFGH', bindingOf('other', 'deploy', { env: 'prod' }), 1600)).toBeUndefined();
    expect(store.consume('ABCDEFGH', binding, 1600)).toMatchObject({ code: 'ABCDEFGH' });
    expect(store.consume('ABCDEFGH', binding, 1601)).toBeUndefined();

    store.offer(pending('JKMNPQRS', 2000));
    grantApproval(dir, 'JKMNPQRS', 2000);
    expect(store.consume('JKMNPQRS', binding, 7000)).toBeUndefined();
    store.offer(pending('TVWXYZ01', 3000));
    grantApproval(dir, 'TVWXYZ01', 3000);
    expect(store.consume('TVWXYZ01', binding, 3001)).toMatchObject({ code: 'TVWXYZ01', approvedAtMs: 3000 });
    expect(store.consume('TVWXYZ01', binding, 3002)).toBeUndefined();
  });

  it('refuses expired codes, unknown codes and anything that is not a code', () => {
    const dir = ensureApprovalsDir(path.join(work, 'c'));
    fileApprovalStore(dir).offer(pending('ABCDEFGH', 1000));
    expect(grantApproval(dir, 'ABCDEFGH', 2000)).toMatchObject({ ok: false, why: expect.stringContaining('expired') });
    expect(grantApproval(dir, 'ZZZZZZZZ', 0)).toMatchObject({ ok: false, why: expect.stringContaining('no call is waiting') });
    expect(grantApproval(dir, '../../x', 0)).toMatchObject({ ok: false, why: expect.stringContaining('not an approval code') });
    expect(listPending(dir, 2000)).toEqual([]);
  });

  it('does not take an approved file that names another binding (written by hand)', () => {
    const dir = ensureApprovalsDir(path.join(work, 'd'));
    writeFileSync(path.join(dir, 'ABCDEFGH.approved.json'), JSON.stringify({ code: 'ABCDEFGH', server: 'srv', tool: 'deploy', argsHash: 'f'.repeat(64), approvedAtMs: 0, expiresAtMs: 10_000 }), { mode: 0o600 });
    expect(fileApprovalStore(dir).consume('ABCDEFGH', binding, 1)).toBeUndefined();
  });
});
