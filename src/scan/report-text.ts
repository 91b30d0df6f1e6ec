/**
 * The scan for a person at a terminal: a header, then each definition with what a client
 * behind the policy would get of it and why, and its findings under it (severity, rule,
 * field, evidence); definitions with nothing to say are listed together. Text the server
 * wrote is shown with invisible and control characters escaped, so the report itself
 * cannot hide anything or move the cursor.
 */
import { SEVERITIES, type Severity } from '../inspect/types.js';
import { allFindings, type DefinitionReport, type ScanReport } from './evaluate.js';
import { LIST_KINDS } from './list-server.js';

/** Text from the server, with every control, format, private-use or unassigned character as \u{…}. */
export function visible(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

const OUTCOME_TEXT: Record<DefinitionReport['outcome'], string> = {
  shown: 'shown',
  'calls-blocked': 'listed, calls refused',
  hidden: 'hidden',
  'list-refused': 'whole list refused',
  removed: 'removed from the answer',
};

function definitionLines(d: DefinitionReport): string[] {
  const because = d.because.length > 0 ? ` (${d.because.join(', ')})` : '';
  const lines = [`  ${visible(d.key)}: ${OUTCOME_TEXT[d.outcome]}${because}`];
  for (const f of d.findings) {
    const evidence = f.evidence === '' ? '' : `: "${visible(f.evidence)}"`;
    const note = f.acted ? '' : ' [not acted on by the policy]';
    lines.push(`    ${f.severity.toUpperCase().padEnd(8)} ${f.ruleId} at ${visible(f.location)}${evidence}${note}`);
  }
  return lines;
}

/** Counts of findings per severity, most severe first: `1 critical, 8 high`. */
export function severityCounts(report: ScanReport): string {
  const counts = new Map<Severity, number>();
  for (const f of allFindings(report)) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  const parts = [...SEVERITIES].reverse().filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`);
  return parts.length === 0 ? 'no findings' : parts.join(', ');
}

/** The text report; `title` says what was scanned, `verdict` is the closing line. */
export function renderText(report: ScanReport, title: string, verdict: string): string {
  const out: string[] = [title];
  const { tools, prompts, resources, resourceTemplates } = report.counts;
  const hasInstructions = report.definitions.some((d) => d.kind === 'instructions');
  out.push(`listed: ${tools} tools, ${prompts} prompts, ${resources} resources, ${resourceTemplates} resource templates${hasInstructions ? ', instructions' : ''}`);
  for (const refused of report.refusedLists) out.push(`refused whole: ${refused.kind}: ${visible(refused.reason)}`);
  for (const kind of ['instructions' as const, ...LIST_KINDS]) {
    const ofKind = report.definitions.filter((d) => d.kind === kind);
    if (ofKind.length === 0) continue;
    const notable = ofKind.filter((d) => d.findings.length > 0 || d.outcome !== 'shown');
    const plain = ofKind.filter((d) => !notable.includes(d));
    out.push('', `${kind}:`);
    for (const d of notable) out.push(...definitionLines(d));
    if (plain.length > 0) out.push(`  shown, nothing found: ${plain.map((d) => visible(d.key)).join(', ')}`);
  }
  out.push('', `${severityCounts(report)}. ${verdict}`);
  return `${out.join('\n')}\n`;
}
