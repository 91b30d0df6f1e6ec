import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue, loadPolicy, nodePolicyIO } from '../../src/config/index.js';

function load(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'vg-constraints-'));
  const file = join(dir, 'p.yaml');
  writeFileSync(file, text);
  const r = loadPolicy(file, nodePolicyIO());
  return { errors: r.errors.map((e) => formatIssue(e).replace(`${file}:`, '')), warnings: r.warnings.map((e) => formatIssue(e).replace(`${file}:`, '')) };
}

describe('vanguard check on constraints', () => {
  it('accepts a policy with every kind', () => {
    const r = load(`arguments:
  read_text_file:
    constrain:
      path: { paths: ["/srv/data/**"], required: true }
  "fetch*":
    constrain:
      url: { hosts: ["*.example.com"], schemes: [https] }
  run_command:
    constrain:
      command: { commands: ["git status", "git log **"], operators: [pipe] }
  query:
    constrain:
      sql: { statements: [select] }
  send_message:
    constrain:
      channel: { enum: ["#eng"] }
      text: { maxLength: 4000, pattern: "[a-z ]+" }
      "*": { schema: { not: { type: object } } }
limits:
  rate: { session: 600/min, tools: { "send_*": 10/min } }
  lockout: { blocks: 5, window: 1m, cooldown: 5m }
`);
    expect(r.errors).toEqual([]);
  });

  it('reports each bad constraint at its line and column', () => {
    const r = load(`arguments:
  read_text_file:
    constrain:
      path: { paths: ["srv/data/**"] }
      url: { hosts: ["https://x.com"], schemes: ["https://"] }
      cmd: { commands: ["git [status"] }
      text: { pattern: "(a)\\\\1" }
`);
    const joined = r.errors.join('\n');
    expect(joined).toMatch(/^4:23: .*must be absolute/m);
    expect(joined).toMatch(/^5:22: .*host glob "https:\/\/x.com"/m);
    expect(joined).toMatch(/^5:50: .*not a URL scheme/m);
    expect(joined).toMatch(/^6:25: .*invalid glob/m);
    expect(joined).toMatch(/^7:24: .*pattern cannot be used/m);
  });

  it('reports shapes the schema refuses at their line and column', () => {
    const joined = load(`arguments:
  q:
    constrain:
      kind: { statements: [selects] }
      other: { bogus: 1 }
limits:
  rate: { session: 10/fortnight }
`).errors.join('\n');
    expect(joined).toMatch(/^4:28: .*selects/m);
    expect(joined).toMatch(/^5:16: .*bogus/m);
    expect(joined).toMatch(/^7:20: .*session/m);
  });
});
