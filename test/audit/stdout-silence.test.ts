/**
 * End to end: a real process using the sink with `stderr: true` writes nothing to fd 1.
 * A spy on process.stdout.write would miss a direct write to fd 1, so this runs the audit
 * code in a child process (transpiled on the fly: no build step, no extra tool) and checks
 * the child's actual stdout bytes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const sourceDirs = ['audit', 'util', 'protocol'].map((folder) => [folder, join(import.meta.dirname, '../../src', folder)] as const);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vanguard-silence-'));
  // The child runs from a temp dir, so bare imports are pointed at this repo's node_modules.
  const pino = pathToFileURL(require.resolve('pino')).href;
  // The audit folder and the small helpers it imports, side by side as in src/.
  for (const [folder, sourceDir] of sourceDirs) {
    mkdirSync(join(dir, folder));
    for (const name of readdirSync(sourceDir).filter((file) => file.endsWith('.ts'))) {
      const source = readFileSync(join(sourceDir, name), 'utf8').replace(/from 'pino'/g, `from '${pino}'`);
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      });
      writeFileSync(join(dir, folder, name.replace(/\.ts$/, '.js')), outputText);
    }
  }
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  writeFileSync(
    join(dir, 'main.js'),
    `import { createAuditSink } from './audit/index.js';
const sink = createAuditSink({ serverName: 'srv', sessionId: 'x', stderr: true, file: process.argv[2],
  arguments: 'redacted', redactKeys: [], chain: true, level: 'debug' });
sink.log('info', 'started', { pid: process.pid });
sink.record({ direction: 'client', method: 'tools/call', id: 1, tool: 't', verdict: 'block', rules: ['r'], decisionUs: 1, args: { password: 'p' } });
sink.record({ direction: 'server', method: 'notifications/progress', verdict: 'forward', rules: [], decisionUs: 1 });
await sink.close();
// Exit at once: synchronous writes mean nothing is still buffered.
process.exit(0);
`,
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('writes audit lines to stderr and the file, and not one byte to stdout', () => {
  const file = join(dir, 'audit.jsonl');
  const child = spawnSync(process.execPath, [join(dir, 'main.js'), file], { encoding: 'utf8' });
  expect(child.status).toBe(0);
  expect(child.stdout).toBe('');
  const stderr = child.stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(stderr.map((line) => line.msg)).toEqual(['started', 'blocked tools/call t', 'forwarded notifications/progress']);
  expect(stderr.map((line) => line.level)).toEqual([30, 40, 20]);
  expect(stderr[1]).toMatchObject({ args: { password: '[REDACTED]' } });
  expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
});
