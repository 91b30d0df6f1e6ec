/**
 * The expectation matcher: what a case expected against what was observed, as a list of
 * mismatches (empty: the case passed). Pure, so every rule is unit-tested.
 */
import { compileGlob } from '../config/globs.js';
import { excerpt } from './observe.js';
import type { Expectation, ListObservation, Mismatch, Observation } from './types.js';

// Where in the text a found string sits, with a little around it.
function around(text: string, needle: string): string {
  const at = text.indexOf(needle);
  const start = Math.max(0, at - 40);
  return JSON.stringify(`${start > 0 ? '...' : ''}${text.slice(start, at + needle.length + 40)}${at + needle.length + 40 < text.length ? '...' : ''}`);
}

/** Compare an answer's observation with a request case's expectations. */
export function matchAnswer(expect: Expectation, seen: Observation): Mismatch[] {
  const out: Mismatch[] = [];
  if (expect.verdict !== undefined && expect.verdict !== seen.verdict) {
    out.push({ key: 'verdict', expected: expect.verdict, got: seen.summary });
  }
  if (expect.rule !== undefined) {
    const matches = compileGlob(expect.rule);
    if (seen.verdict !== 'blocked' || !seen.rules.some((rule) => matches(rule))) {
      const got = seen.verdict === 'blocked' ? `refused by ${seen.rules.join(', ') || 'no rule'}` : `not refused (${seen.summary})`;
      out.push({ key: 'rule', expected: `refused by a rule matching ${JSON.stringify(expect.rule)}`, got });
    }
  }
  for (const wanted of expect.contains ?? []) {
    if (!seen.text.includes(wanted)) out.push({ key: 'contains', expected: `text containing ${JSON.stringify(wanted)}`, got: seen.text === '' ? 'no text' : excerpt(seen.text, 200) });
  }
  for (const unwanted of expect.notContains ?? []) {
    if (seen.text.includes(unwanted)) out.push({ key: 'notContains', expected: `text without ${JSON.stringify(unwanted)}`, got: around(seen.text, unwanted) });
  }
  for (const kind of expect.redacted ?? []) {
    const marker = `[REDACTED:${kind}]`;
    if (!seen.text.includes(marker)) {
      const others = [...new Set(seen.text.match(/\[REDACTED:[^\]\s]{1,64}\]/g) ?? [])];
      out.push({ key: 'redacted', expected: marker, got: others.length > 0 ? `only ${others.join(', ')}` : `no redaction in ${excerpt(seen.text, 200)}` });
    }
  }
  return out;
}

/** Compare a listing with a listing case's expectations. */
export function matchList(expect: Expectation, seen: ListObservation): Mismatch[] {
  const out: Mismatch[] = [];
  const visible = new Set(seen.visible);
  const shown = seen.visible.length > 0 ? seen.visible.join(', ') : 'no tools';
  for (const name of expect.visible ?? []) {
    if (!visible.has(name)) out.push({ key: 'visible', expected: `${name} in the list`, got: `not in the list (${shown})` });
  }
  const hiddenByShim = new Set(seen.hiddenByShim);
  for (const name of expect.hidden ?? []) {
    if (visible.has(name)) out.push({ key: 'hidden', expected: `${name} hidden`, got: `${name} is in the list` });
    // A name the server never offered is absent too, but nothing hid it: a misspelt name
    // must not pass as proof that the policy holds.
    else if (!hiddenByShim.has(name)) out.push({ key: 'hidden', expected: `${name} hidden by the policy`, got: `the server does not offer ${name} at all, so nothing hid it (misspelt?)` });
  }
  return out;
}
