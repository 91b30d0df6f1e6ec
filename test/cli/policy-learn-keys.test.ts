/**
 * `vanguard policy learn` reads audit lines, whose argument names are written escaped where they
 * hold a quote or a backslash (src/audit/line.ts). On Node 24.21.0 JSON.parse could read the name
 * p"x (written "p\"x") as p\" after a line with that name (src/protocol/escaped-keys.ts), and
 * learn no constraint for p"x. Each argument is learned under its own name on every Node.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { policyLearnCommand } from '../../src/cli/commands/policy-learn.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vanguard-learn-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('learns each argument under the name it was written with', () => {
  // A first key no other object has (V8 then builds maps with one transition each).
  const line = (time: string, name: string, where: string) =>
    `{"level":30,"time":"${time}","direction":"client","method":"tools/call","tool":"write","verdict":"forward","detail":{"learn":{"vanguardLearnKeys":{"paths":["/srv/a"]},${name}:{"paths":["${where}"]}}},"msg":"d"}`;
  const file = path.join(dir, 'audit.jsonl');
  writeFileSync(file, `${line('2026-01-01T00:00:00Z', '"p\\\\\\""', '/srv/b')}\n${line('2026-01-01T00:00:01Z', '"p\\"x"', '/srv/data/ok')}\n`);
  let out = '';
  expect(policyLearnCommand({ files: [file] }, { stdout: (s) => (out += s), stderr: () => undefined })).toBe(0);
  const constrain = (parse(out) as { arguments: { write: { constrain: Record<string, { paths: string[] }> } } }).arguments.write.constrain;
  expect(constrain['p"x']).toEqual({ paths: ['/srv/data/ok'] });
  expect(constrain['p\\"']).toEqual({ paths: ['/srv/b'] });
});
