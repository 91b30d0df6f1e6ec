/**
 * The package as users get it: `npm pack` of this repo, installed into a temporary global
 * prefix, then `vanguard --version` and `vanguard demo` run from there with no network. The
 * demo must work without the dev dependencies (the official filesystem server is one), so it
 * runs Vanguard's own small demo server.
 *
 * The install is `npm install --global --offline` when npm's cache holds the dependencies.
 * Where it does not (a machine that never fetched them; no network to fetch them now), the
 * install is done as npm lays it out: the tarball unpacked into <prefix>/lib/node_modules,
 * its runtime dependencies linked from this repo's install, and <prefix>/bin/vanguard linked
 * to bin/vanguard.js. Skipped, saying why, only when npm itself cannot pack.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from './harness.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(CLI), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };
const temp = mkdtempSync(path.join(tmpdir(), 'vanguard-package-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let packProblem: string | undefined;
let files: string[] = [];
let tarball = '';
try {
  // dist is already built (the e2e suite runs after `npm run build`): no scripts needed.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', temp], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const packed = (JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>)[0]!;
  files = packed.files.map((f) => f.path);
  tarball = path.join(temp, packed.filename);
} catch (error) {
  packProblem = `npm pack failed here: ${(error as Error).message.split('\n')[0]}`;
}
if (packProblem) console.warn(`package.test.ts skipped: ${packProblem}`);

const prefix = path.join(temp, 'prefix');
const bin = path.join(prefix, 'bin', 'vanguard');
let installedBy = '';

// What `npm install --global` does, by hand, with the dependencies from this repo's install.
function installByHand(): void {
  const target = path.join(prefix, 'lib', 'node_modules', manifest.name);
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', target, '--strip-components=1']);
  for (const name of Object.keys(manifest.dependencies)) {
    // A scoped name (@scope/name) needs its scope folder first.
    mkdirSync(path.dirname(path.join(target, 'node_modules', name)), { recursive: true });
    symlinkSync(path.join(root, 'node_modules', name), path.join(target, 'node_modules', name));
  }
  mkdirSync(path.dirname(bin), { recursive: true });
  symlinkSync(path.join('..', 'lib', 'node_modules', manifest.name, 'bin', 'vanguard.js'), bin);
  chmodSync(path.join(target, 'bin', 'vanguard.js'), 0o755);
}

beforeAll(async () => {
  if (packProblem) return;
  try {
    await run('npm', ['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], { encoding: 'utf8' });
    installedBy = 'npm install --global --offline';
  } catch (error) {
    if (!/ENOTCACHED|only-if-cached/.test(String((error as { stderr?: string }).stderr ?? error))) throw error;
    rmSync(prefix, { recursive: true, force: true });
    installByHand();
    installedBy = 'unpacked by hand (npm cache lacks the dependencies)';
  }
}, 120_000);

// A PATH with node and the system tools only: no npx fallback, no repo binaries.
const env = { ...process.env, PATH: [path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter) };

describe.skipIf(packProblem !== undefined)('the packed package', () => {
  it('ships the built code, policies, schemas and LICENSE, and no sources, tests or source maps', () => {
    for (const needed of ['LICENSE', 'README.md', 'package.json', 'bin/vanguard.js', 'bin/package.json', 'dist/cli/main.js', 'dist/cli/start-loader.js', 'dist/cli/start-loader.cjs', 'dist/cli/start.bundle.cjs', 'dist/cli/after-spawn.bundle.cjs', 'dist/demo/server.js', 'dist/rules/packs.json', 'dist/config/schema-validator.cjs', 'policies/schema.json', 'policies/test-schema.json', 'policies/filesystem-readonly.yaml']) {
      expect(files).toContain(needed);
    }
    expect(files.filter((f) => f.endsWith('.map') || f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  it('says what package.json promises a publisher', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ license: 'MIT', bin: { vanguard: 'bin/vanguard.js' }, engines: { node: '>=20.19' } });
    expect(pkg.repository).toBeTruthy();
    expect(pkg.homepage).toBeTruthy();
    expect(pkg.bugs).toBeTruthy();
    expect((pkg.scripts as Record<string, string>).prepack).toContain('npm run build');
    expect(Object.keys(pkg.scripts as object)).not.toEqual(expect.arrayContaining(['install', 'postinstall', 'preinstall']));
  });

  it('installed globally, `vanguard --version` prints its version', async () => {
    expect(existsSync(bin)).toBe(true);
    const { stdout } = await run(bin, ['--version'], { encoding: 'utf8', cwd: temp, env });
    expect(stdout.trim()).toBe(manifest.version);
  });

  it(`installed globally, \`vanguard demo\` runs offline with the built-in server`, async () => {
    const { stdout } = await run(bin, ['demo'], { encoding: 'utf8', cwd: temp, env, timeout: 60_000 });
    expect(stdout).toContain("Vanguard's built-in demo filesystem server");
    expect(stdout).toContain('redacted: Deployed by ops with AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key-id]');
    expect(stdout).toContain('refused as unknown');
    expect(stdout).toContain('Every step behaved as the policy says.');
    expect(installedBy).not.toBe('');
  }, 90_000);
});
