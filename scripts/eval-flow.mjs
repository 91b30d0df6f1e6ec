#!/usr/bin/env node
// Flow rules measured: sequences of tool calls (test/fixtures/flow/*.json, written for this
// project) go through the real engine, one session each, with the shipped default policy
// (inspection and result scanning on) and a clock moved by the corpus's gap between steps.
// An attack sequence is stopped when any of its steps is refused; a benign one is wrongly
// interrupted when any step is. Both are also counted with the flow rules off, so what the
// flow rules add is visible, and each benign interruption is charged to the rule that made it.
//   node scripts/eval-flow.mjs  (after npm run build; also run at the end of scripts/eval.mjs)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { compilePolicy } = await import(path.join(root, 'dist/config/index.js'));
const { Engine } = await import(path.join(root, 'dist/engine/engine.js'));
const { buildInspector, buildResultScan } = await import(path.join(root, 'dist/inspect/build.js'));

const load = (name) => JSON.parse(readFileSync(path.join(root, 'test/fixtures/flow', name), 'utf8'));
const benign = load('benign-sequences.json');
const attacks = load('attack-sequences.json');

// One session: every step called in order; the first refusal ends it.
function runSequence(corpus, sequence, doc) {
  let now = 1_000_000_000;
  const policy = compilePolicy(doc, ['eval-flow'], corpus.cwd, { realpath: () => undefined, home: corpus.home, nowMs: () => now / 1000 });
  const edge = { realpath: (p) => p };
  const engine = new Engine(policy, { nowUs: () => now, inspect: buildInspector(policy, edge), scanResult: buildResultScan(policy, edge) });
  const send = (m) => engine.fromClient(Buffer.from(JSON.stringify(m)));
  const answer = (m) => engine.fromServer(Buffer.from(JSON.stringify(m)));
  send({ jsonrpc: '2.0', id: 'list', method: 'tools/list' });
  answer({ jsonrpc: '2.0', id: 'list', result: { tools: corpus.tools.map((t) => ({ inputSchema: { type: 'object' }, ...t })) } });
  let id = 0;
  for (const [index, step] of sequence.steps.entries()) {
    now += corpus.gapSeconds * 1_000_000;
    const out = send({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name: step.tool, arguments: step.args } });
    if (out.outputs.some((o) => o.to === 'client')) return { refusedAt: index, tool: step.tool, rules: out.records[0]?.rules ?? [] };
    answer({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: step.result ?? 'ok' }] } });
  }
  return undefined;
}

const DEFAULT = {};
const NO_FLOW = { flow: { rules: [], burst: 'off' } };
const isFlow = (r) => r !== undefined && r.rules.some((rule) => rule.startsWith('flow.'));

const rows = [];
const attackRuns = attacks.sequences.map((s) => ({ s, on: runSequence(attacks, s, DEFAULT), off: runSequence(attacks, s, NO_FLOW) }));
for (const kind of [...new Set(attacks.sequences.map((s) => s.kind)), 'all']) {
  const runs = attackRuns.filter((r) => kind === 'all' || r.s.kind === kind);
  rows.push({ suite: `attacks: ${kind}`, n: runs.length, stopped: runs.filter((r) => r.on).length, byFlow: runs.filter((r) => isFlow(r.on)).length, withoutFlow: runs.filter((r) => r.off).length });
}
const benignRuns = benign.sequences.map((s) => ({ s, on: runSequence(benign, s, DEFAULT), off: runSequence(benign, s, NO_FLOW) }));
rows.push({ suite: 'benign developer sessions', n: benignRuns.length, stopped: benignRuns.filter((r) => r.on).length, byFlow: benignRuns.filter((r) => isFlow(r.on)).length, withoutFlow: benignRuns.filter((r) => r.off).length });

const lines = ['| sequences | n | refused (default policy) | by a flow rule | refused with flow rules off |', '| --- | ---: | ---: | ---: | ---: |'];
for (const r of rows) lines.push(`| ${r.suite} | ${r.n} | ${r.stopped} | ${r.byFlow} | ${r.withoutFlow} |`);
process.stdout.write(`\nFlow rules (default policy) on ${attacks.sequences.length} attack and ${benign.sequences.length} benign sequences\n\n${lines.join('\n')}\n`);

const missed = attackRuns.filter((r) => !r.on);
if (missed.length > 0) process.stdout.write(`\nAttack sequences not stopped: ${missed.map((r) => r.s.id).join(', ')}\n`);
const notByFlow = attackRuns.filter((r) => r.on && !isFlow(r.on));
if (notByFlow.length > 0) process.stdout.write(`Attack sequences stopped by another check first: ${notByFlow.map((r) => `${r.s.id} [${r.on.rules.join(', ')}]`).join('; ')}\n`);
const cost = new Map();
for (const r of benignRuns.filter((x) => x.on)) {
  const rule = r.on.rules.join(', ');
  cost.set(rule, [...(cost.get(rule) ?? []), `${r.s.id} (step ${r.on.refusedAt + 1}, ${r.on.tool})`]);
}
process.stdout.write('\nBenign sequences interrupted, by rule:\n');
if (cost.size === 0) process.stdout.write('  none\n');
for (const [rule, ids] of cost) process.stdout.write(`  ${rule}: ${ids.length}: ${ids.join('; ')}\n`);
