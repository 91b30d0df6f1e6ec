/**
 * The scan as SARIF 2.1.0, for code-scanning dashboards (GitHub's upload-sarif and the
 * like): one result per finding, the rule's metadata from the rule packs (or, for pin
 * differences and a failed inspection, from here), and the definition as a logical
 * location, since a server's definitions live in no file of the repository.
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../inspect/types.js';
import type { ScanFinding, ScanReport } from './evaluate.js';
import { allFindings } from './evaluate.js';

/** What the SARIF writer needs to know of a rule. */
export interface RuleMeta {
  id: string;
  category: string;
  severity: Severity;
  description: string;
  message?: string;
}

/** Who ran the scan: the tool's name, version and where to read about it. */
export interface SarifTool {
  version: string;
  /** Where to read about the tool; left out when not known. */
  informationUri?: string;
  /**
   * A repository file that declares the server (its .mcp.json, say), relative, with `/`:
   * every result is also placed at its first line, because code-scanning dashboards show
   * only results with a file to hang them on.
   */
  anchor?: string;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

// Rules that are not in a pack: a definition compared with the lock, or one that could not be scanned.
const BUILT_IN_RULES: RuleMeta[] = [
  { id: 'pin.changed', category: 'pinning', severity: 'high', description: 'A definition changed since it was pinned in the lock file (a rug pull): review the change, then pin again.' },
  { id: 'pin.renamed', category: 'pinning', severity: 'high', description: 'A pinned definition appears under a new name: review it, then pin again.' },
  { id: 'pin.new', category: 'pinning', severity: 'medium', description: 'A definition the lock file does not know: review it, then pin again.' },
  { id: 'pin.removed', category: 'pinning', severity: 'low', description: 'A pinned definition is no longer listed by the server.' },
  { id: 'inspect.failure', category: 'prompt-injection', severity: 'critical', description: 'A definition could not be scanned within the limits, so it is treated as poisoned (fail closed).' },
];

/** SARIF's level for a severity. */
export function levelOf(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'critical' || severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'note';
}

// GitHub ranks security alerts by this number (0.1–10).
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0' };

// `inject.instruction-tag` → `InstructionTag`: SARIF's name is an identifier-like label.
function ruleName(id: string): string {
  const last = id.split('.').pop() ?? id;
  return last.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') || id;
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/[.!?](\s|$)/);
  return end === -1 ? flat : flat.slice(0, end + 1);
}

function ruleDescriptor(rule: RuleMeta): Record<string, unknown> {
  const description = rule.description.replace(/\s+/g, ' ').trim();
  const help = (rule.message ?? description).replace(/\s+/g, ' ').trim();
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: firstSentence(description) },
    fullDescription: { text: description },
    help: { text: help },
    defaultConfiguration: { level: levelOf(rule.severity) },
    properties: { category: rule.category, severity: rule.severity, 'security-severity': SECURITY_SEVERITY[rule.severity], tags: ['security', 'mcp', rule.category] },
  };
}

// The definition a finding is in (`tools[add]`) and the field's full path.
function logicalLocation(finding: ScanFinding): Record<string, unknown> {
  const match = /^(\w+)\[(.*?)\]/.exec(finding.location);
  const name = match ? match[2]! : finding.location;
  return { name, fullyQualifiedName: finding.location, kind: match?.[1] === 'tools' ? 'function' : match ? 'resource' : 'member' };
}

function result(finding: ScanFinding, ruleIndex: number, anchor: string | undefined): Record<string, unknown> {
  const evidence = finding.evidence === '' ? '' : ` Evidence: ${JSON.stringify(finding.evidence)}.`;
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: levelOf(finding.severity),
    message: { text: `${finding.location}: ${finding.message}${evidence}` },
    locations: [{ ...(anchor !== undefined && { physicalLocation: { artifactLocation: { uri: anchor }, region: { startLine: 1 } } }), logicalLocations: [logicalLocation(finding)] }],
    partialFingerprints: { 'vanguardFinding/v1': createHash('sha256').update(`${finding.ruleId}\0${finding.location}\0${finding.evidence}`).digest('hex') },
    properties: { severity: finding.severity, category: finding.category, actedOnByPolicy: finding.acted },
  };
}

/** The SARIF log for a report; `rules` are the rule packs' rules (by id). */
export function toSarif(report: ScanReport, rules: ReadonlyMap<string, RuleMeta>, tool: SarifTool): Record<string, unknown> {
  const findings = allFindings(report);
  const known = new Map<string, RuleMeta>([...BUILT_IN_RULES.map((r): [string, RuleMeta] => [r.id, r]), ...rules]);
  const used: RuleMeta[] = [];
  const index = new Map<string, number>();
  for (const f of findings) {
    if (index.has(f.ruleId)) continue;
    index.set(f.ruleId, used.length);
    // A finding whose rule is nowhere described still gets a descriptor, from itself.
    used.push(known.get(f.ruleId) ?? { id: f.ruleId, category: f.category, severity: f.severity, description: f.message });
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Vanguard', semanticVersion: tool.version, version: tool.version, ...(tool.informationUri !== undefined && { informationUri: tool.informationUri }), rules: used.map(ruleDescriptor) } },
        results: findings.map((f) => result(f, index.get(f.ruleId)!, tool.anchor)),
        properties: { server: report.server, counts: report.counts },
      },
    ],
  };
}
