/**
 * Which program copies the stderr relay's input to fd 2, and that Perl's copier copies bytes
 * exactly (the relay's own tests run it through a non-blocking fd 2).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { findCopier, findCopiers, findProgram, SYSTEM_FOLDERS } from '../../src/audit/stderr-copier.js';

// A lookup over made-up folders: `have` maps a folder to the programs in it.
const lookup = (have: Record<string, string[]>) => (name: string, folders: readonly string[]) => {
  const folder = folders.find((f) => have[f]?.includes(name));
  return folder === undefined ? undefined : `${folder}/${name}`;
};

it("prefers the system's perl, then the system's cat, and a PATH program only where the system has neither", () => {
  const perl = findCopier('/opt/bin', lookup({ '/usr/bin': ['perl', 'cat'], '/opt/bin': ['perl'] }));
  expect(perl?.file).toBe('/usr/bin/perl');
  // The script, then the platform's own errno numbers.
  expect(perl?.args[0]).toBe('-e');
  expect(perl?.args.slice(2)).toEqual([String(constants.errno.EAGAIN), String(constants.errno.EINTR)]);
  // A perl only in PATH (a version manager's shim, a user's folder) does not win over the system's cat.
  expect(findCopier('/opt/bin', lookup({ '/bin': ['cat'], '/opt/bin': ['perl'] }))).toEqual({ file: '/bin/cat', args: [] });
  expect(findCopier('/opt/bin:relative', lookup({ '/opt/bin': ['perl', 'cat'], relative: ['cat'] }))?.file).toBe('/opt/bin/perl');
  expect(findCopier('relative', lookup({ relative: ['perl', 'cat'] }))).toBeUndefined();
  expect(findCopier('', lookup({}))).toBeUndefined();
  // PATH's system folders are not looked in twice.
  expect([...findCopiers('/usr/bin:/opt/bin', lookup({ '/usr/bin': ['perl', 'cat'], '/opt/bin': ['cat'] }))].map((c) => c.file)).toEqual(['/usr/bin/perl', '/usr/bin/cat', '/opt/bin/cat']);
});

it('looks for each copier only when it is asked for', () => {
  const asked: string[] = [];
  const find = (name: string, folders: readonly string[]) => {
    asked.push(`${name} in ${folders.join(':')}`);
    return `${folders[0]}/${name}`;
  };
  const copiers = findCopiers('/opt/bin', find);
  expect(copiers.next().value?.file).toBe('/bin/perl');
  expect(asked).toEqual(['perl in /bin:/usr/bin']);
  expect([...copiers].map((c) => c.file)).toEqual(['/bin/cat', '/opt/bin/perl', '/opt/bin/cat']);
  expect(asked).toHaveLength(4);
});

it('finds a program only where it can be run, in the order of the folders', () => {
  expect(SYSTEM_FOLDERS).toEqual(['/bin', '/usr/bin']);
  expect(findProgram('sh', SYSTEM_FOLDERS)).toMatch(/^\/(usr\/)?bin\/sh$/);
  const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-copier-'));
  try {
    const [first, second] = ['a', 'b'].map((name) => path.join(dir, name));
    for (const folder of [first, second] as string[]) {
      mkdirSync(folder);
      writeFileSync(path.join(folder, 'vanguard-test-program'), '#!/bin/sh\n', { mode: 0o755 });
    }
    expect(findProgram('vanguard-test-program', [first as string, second as string])).toBe(path.join(first as string, 'vanguard-test-program'));
    chmodSync(path.join(first as string, 'vanguard-test-program'), 0o644);
    expect(findProgram('vanguard-test-program', [first as string, second as string])).toBe(path.join(second as string, 'vanguard-test-program'));
    expect(findProgram('no-such-program-vanguard', [first as string])).toBeUndefined();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it.runIf(findProgram('perl', SYSTEM_FOLDERS) !== undefined)('copies bytes exactly, including a NUL and invalid UTF-8, and exits at the end of its input', async () => {
  const copier = findCopier();
  expect(copier?.file).toMatch(/\/perl$/);
  const input = Buffer.concat([Buffer.from('head\n'), Buffer.from([0, 0xff, 0xfe, 0x80]), Buffer.alloc(300_000, 'ab'), Buffer.from('tail')]);
  const child = spawn(copier?.file as string, copier?.args as string[], { stdio: ['pipe', 'pipe', 'pipe'], env: {} });
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
