/**
 * Redaction of secrets and personal data in result text: every match of the rules in play
 * is replaced, in place, by a marker that names its kind ([REDACTED:aws-access-key-id]).
 */
import { LowerCase, lowerSameLength } from '../lower-case.js';
import { findAllSpans, nonOverlapping, type Reading } from '../pattern-rules.js';
import type { CompiledRule } from '../../rules/rule-types.js';
import { secretPart } from './secret-part.js';

/** The kind a marker names: the rule id without its category (secret.github-pat → github-pat; pii.national-id.us-ssn → national-id). */
export function redactionKind(rule: CompiledRule): string {
  const [prefix, kind = rule.id] = rule.id.split('.');
  return prefix === 'pii' ? kind : rule.id.slice(rule.id.indexOf('.') + 1);
}

export interface Redaction {
  text: string;
  /** Rule ids that matched, with how many times. */
  hits: Map<CompiledRule, number>;
}

/**
 * `text` with every match of `rules` replaced by its marker, and what matched. `read`: an
 * earlier pass's reading of a text, used (its lower case, and its keyword scan where the
 * index is the same) when it is of `text`.
 */
export function redact(text: string, rules: readonly CompiledRule[], checkBudget?: (steps?: number) => void, allRules?: readonly CompiledRule[], read?: Reading): Redaction {
  const hits = new Map<CompiledRule, number>();
  if (rules.length === 0) return { text, hits };
  // toLowerCase is lowerSameLength's answer when it keeps the length.
  const reuse = read !== undefined && read.lower.length === text.length && read.text === text;
  const spans = findAllSpans(text, reuse ? read.lower : new LowerCase(text, lowerSameLength), rules, checkBudget, allRules, reuse ? read : undefined);
  if (spans.length === 0) return { text, hits };
  // The secret inside each match; where matches of different rules overlap, the earlier wins.
  const parts = spans
    .map((span) => {
      if (span.rule.category !== 'secrets') return { ...span };
      const block = keyBlockEnd(text, span.start, span.end);
      if (block !== undefined) return { start: span.start, end: block, rule: span.rule };
      const [from, to] = secretPart(text.slice(span.start, span.end));
      return { start: span.start + from, end: span.start + to, rule: span.rule };
    })
    .sort((a, b) => a.start - b.start || b.end - a.end);
  // Where a secret and personal data overlap (the password of a connection string reads as
  // an email address up to the host), the secret wins; otherwise the earlier match does.
  // Both passes sweep in order of start, so this stays linear in the number of matches.
  const secrets = nonOverlapping(parts.filter((p) => p.rule.category === 'secrets'));
  const personal = nonOverlapping(parts.filter((p) => p.rule.category !== 'secrets'));
  const accepted = [...secrets];
  let s = 0;
  for (const part of personal) {
    while (s < secrets.length && (secrets[s] as Part).end <= part.start) s += 1;
    const next = secrets[s];
    if (next === undefined || next.start >= part.end) accepted.push(part);
  }
  accepted.sort((a, b) => a.start - b.start);
  const out: string[] = [];
  let kept = 0;
  for (const part of accepted) {
    hits.set(part.rule, (hits.get(part.rule) ?? 0) + 1);
    out.push(text.slice(kept, part.start), `[REDACTED:${redactionKind(part.rule)}]`);
    kept = part.end;
  }
  out.push(text.slice(kept));
  return { text: out.join(''), hits };
}

// A key block is longer than what its rule needs to see: it runs to its END line (or, in
// text that lost it, to the end of the base64 lines), at most 64 KiB on.
const MAX_KEY_BLOCK = 64 * 1024;
const BASE64_LINES = /[A-Za-z0-9+/=\s\\]*/y;

function keyBlockEnd(text: string, start: number, end: number): number | undefined {
  // Only inside the match: a search of the rest of the text for every match would be quadratic.
  if (!text.slice(start, end).includes('-----BEGIN')) return undefined;
  const limit = Math.min(text.length, start + MAX_KEY_BLOCK);
  const close = text.indexOf('-----END', end);
  if (close !== -1 && close < limit) {
    const after = text.indexOf('-----', close + 8);
    if (after !== -1 && after < limit) return after + 5;
  }
  BASE64_LINES.lastIndex = end;
  BASE64_LINES.exec(text);
  return Math.min(limit, Math.max(end, BASE64_LINES.lastIndex));
}

interface Part {
  start: number;
  end: number;
  rule: CompiledRule;
}
