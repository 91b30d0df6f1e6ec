/**
 * The SARIF writer: one result per finding, rule metadata from the packs (or built in for
 * pin differences), levels from severity, the definition as a logical location; and the
 * log has every property SARIF 2.1.0 requires (checked by sarif-shape.ts, which is itself
 * shown to catch logs that lack them).
 */
import { describe, expect, it } from 'vitest';
import type { ScanFinding, ScanReport } from '../../src/scan/evaluate.js';
import { levelOf, toSarif, type RuleMeta } from '../../src/scan/sarif.js';
import { shippedRules } from '../../src/inspect/build.js';
import { sarifProblems } from './sarif-shape.js';

const finding = (ruleId: string, severity: ScanFinding['severity'], location: string, category: ScanFinding['category'] = 'prompt-injection'): ScanFinding => ({
  ruleId, category, severity, location, evidence: ruleId.startsWith('pin.') ? '' : 'ignore all previous instructions', message: `found ${ruleId}`, acted: true,
});

const report: ScanReport = {
  server: { name: 'fixture', version: '1.0.0' },
  counts: { tools: 2, prompts: 0, resources: 0, resourceTemplates: 0 },
  refusedLists: [],
  definitions: [
    { kind: 'tools', key: 'read_file', outcome: 'hidden', because: ['metadata.poisoning'], findings: [
      finding('inject.ignore-instructions', 'high', 'tools[read_file].inputSchema.properties.path.description'),
      finding('hidden.unicode-tags', 'critical', 'tools[read_file].description', 'hidden-characters'),
      finding('inject.ignore-instructions', 'high', 'tools[read_file].description'),
    ] },
    { kind: 'tools', key: 'echo', outcome: 'hidden', because: ['pin.changed'], findings: [finding('pin.changed', 'high', 'tools[echo]', 'pinning')] },
    { kind: 'instructions', key: 'instructions', outcome: 'removed', because: [], findings: [finding('made.up-rule', 'low', 'instructions')] },
  ],
};

const packs = new Map<string, RuleMeta>([...shippedRules().byId].map(([id, r]) => [id, r]));
type Log = { version: string; runs: Array<{ tool: { driver: { rules: Array<Record<string, any>> } }; results: Array<Record<string, any>> }> };
const sarif = toSarif(report, packs, { version: '9.9.9' }) as unknown as Log;
const run = sarif.runs[0]!;

describe('toSarif', () => {
  it('is a SARIF 2.1.0 log with every required property', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarifProblems(sarif)).toEqual([]);
  });

  it('has one result per finding, each pointing at its rule and its definition', () => {
    expect(run.results).toHaveLength(5);
    expect(run.results.map((r) => r.ruleId)).toEqual(['inject.ignore-instructions', 'hidden.unicode-tags', 'inject.ignore-instructions', 'pin.changed', 'made.up-rule']);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
    expect(run.results[0]!.locations).toEqual([{ logicalLocations: [{ name: 'read_file', fullyQualifiedName: 'tools[read_file].inputSchema.properties.path.description', kind: 'function' }] }]);
    expect(run.results[4]!.locations[0].logicalLocations[0].fullyQualifiedName).toBe('instructions');
    // Two findings of one rule in two fields are two results, told apart by their fingerprints.
    expect(run.results[0]!.partialFingerprints['vanguardFinding/v1']).not.toBe(run.results[2]!.partialFingerprints['vanguardFinding/v1']);
  });

  it('describes each rule once, from its pack', () => {
    const rules = run.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(['inject.ignore-instructions', 'hidden.unicode-tags', 'pin.changed', 'made.up-rule']);
    const tags = rules[1]!;
    const pack = shippedRules().byId.get('hidden.unicode-tags')!;
    expect(tags.name).toBe('UnicodeTags');
    expect(tags.fullDescription.text).toBe(pack.description.replace(/\s+/g, ' ').trim());
    expect(tags.shortDescription.text.length).toBeLessThanOrEqual(tags.fullDescription.text.length);
    expect(tags.help.text).toBe(pack.message);
    expect(tags.defaultConfiguration).toEqual({ level: 'error' });
    expect(tags.properties).toMatchObject({ category: 'hidden-characters', severity: 'critical', 'security-severity': '9.5' });
    expect(rules[2]!.shortDescription.text).toMatch(/changed since it was pinned/);
    // A rule no pack describes still gets a descriptor, from its finding.
    expect(rules[3]).toMatchObject({ id: 'made.up-rule', defaultConfiguration: { level: 'note' } });
  });

  it('places every result at the anchor file too, when given one', () => {
    const anchored = toSarif(report, packs, { version: '1', anchor: '.mcp.json' }) as unknown as Log;
    expect(sarifProblems(anchored)).toEqual([]);
    for (const r of anchored.runs[0]!.results) expect(r.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: '.mcp.json' }, region: { startLine: 1 } });
    expect(run.results[0]!.locations[0].physicalLocation).toBeUndefined();
  });

  it('maps severity to level', () => {
    expect(['critical', 'high', 'medium', 'low'].map((s) => levelOf(s as 'low'))).toEqual(['error', 'error', 'warning', 'note']);
    expect(run.results.map((r) => r.level)).toEqual(['error', 'error', 'error', 'error', 'note']);
  });

  it('is an empty run, still well formed, when nothing was found', () => {
    const empty = toSarif({ ...report, definitions: [] }, packs, { version: '1' }) as unknown as Log;
    expect(empty.runs[0]!.results).toEqual([]);
    expect(sarifProblems(empty)).toEqual([]);
  });
});

describe('sarifProblems (the checker the tests rely on)', () => {
  const clone = (): any => JSON.parse(JSON.stringify(sarif));
  it.each<[string, (log: any) => void, RegExp]>([
    ['a wrong version', (l) => (l.version = '2.0.0'), /\$\.version/],
    ['no runs', (l) => delete l.runs, /\$\.runs/],
    ['no driver name', (l) => delete l.runs[0].tool.driver.name, /driver\.name/],
    ['a rule without id', (l) => delete l.runs[0].tool.driver.rules[0].id, /rules\[0\]\.id/],
    ['a description without text', (l) => (l.runs[0].tool.driver.rules[0].shortDescription = {}), /shortDescription/],
    ['a bad default level', (l) => (l.runs[0].tool.driver.rules[0].defaultConfiguration.level = 'high'), /defaultConfiguration\.level/],
    ['a result without message', (l) => delete l.runs[0].results[0].message, /results\[0\]\.message/],
    ['a bad result level', (l) => (l.runs[0].results[1].level = 'critical'), /results\[1\]\.level/],
    ['a ruleIndex pointing elsewhere', (l) => (l.runs[0].results[0].ruleIndex = 1), /ruleIndex/],
    ['a physical location with no artifact', (l) => (l.runs[0].results[0].locations[0].physicalLocation = { region: { startLine: 1 } }), /physicalLocation/],
    ['a region starting at line 0', (l) => (l.runs[0].results[0].locations[0].physicalLocation = { artifactLocation: { uri: 'a' }, region: { startLine: 0 } }), /startLine/],
    ['duplicate rule ids', (l) => l.runs[0].tool.driver.rules.push(l.runs[0].tool.driver.rules[0]), /unique/],
  ])('finds %s', (_, breakIt, problem) => {
    const log = clone();
    breakIt(log);
    expect(sarifProblems(log).join('\n')).toMatch(problem);
  });
});
