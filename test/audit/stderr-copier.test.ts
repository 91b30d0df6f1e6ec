/**
 * Which program copies the stderr relay's input to fd 2, and that Perl's copier waits for
 * room on a non-blocking stdout instead of failing (the relay's own tests run it through fd 2).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { findCopier, findProgram } from '../../src/audit/stderr-copier.js';

it('prefers perl, falls back to cat, and gives undefined when neither is found', () => {
  const found = (names: string[]) => (name: string) => (names.includes(name) ? `/x/${name}` : undefined);
  const perl = findCopier('', found(['perl', 'cat']));
  expect(perl?.file).toBe('/x/perl');
  expect(perl?.waitsForRoom).toBe(true);
  // The script and the platform's own errno numbers, in that order.
  expect(perl?.args.slice(0, 1)).toEqual(['-e']);
  expect(perl?.args.slice(2)).toEqual([String(constants.errno.EAGAIN), String(constants.errno.EINTR)]);
  expect(findCopier('', found(['cat']))).toEqual({ file: '/x/cat', args: [], waitsForRoom: false });
  expect(findCopier('', found([]))).toBeUndefined();
});

it('finds a program in the system folders, then in PATH, and not through a relative PATH entry', () => {
  expect(findProgram('sh', '')).toMatch(/^\/(usr\/)?bin\/sh$/);
  expect(findProgram('no-such-program-vanguard', '/usr/bin:relative')).toBeUndefined();
  const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-copier-'));
  try {
    const file = path.join(dir, 'vanguard-test-program');
    writeFileSync(file, '#!/bin/sh\n', { mode: 0o755 });
    expect(findProgram('vanguard-test-program', `relative:${dir}`)).toBe(file);
    chmodSync(file, 0o644);
    expect(findProgram('vanguard-test-program', dir)).toBeUndefined();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it.runIf(findProgram('perl') !== undefined)('copies bytes exactly, including a NUL and invalid UTF-8, and exits at the end of its input', async () => {
  const copier = findCopier();
  expect(copier?.waitsForRoom).toBe(true);
  const input = Buffer.concat([Buffer.from('head\n'), Buffer.from([0, 0xff, 0xfe, 0x80]), Buffer.alloc(300_000, 'ab'), Buffer.from('tail')]);
  const child = spawn(copier?.file as string, copier?.args as string[], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  child.stdin.end(input);
  const code = await new Promise((resolve) => child.on('close', resolve));
  expect(err).toBe('');
  expect(code).toBe(0);
  expect(Buffer.concat(out).equals(input)).toBe(true);
});
