/**
 * The hidden-character rules found by code (`detector: hidden` in
 * policies/rules/hidden-characters.yaml): ids, severities, and what the model is told.
 */
import type { Severity } from '../types.js';

/** One hidden-character rule as code knows it; the pack holds the same id with examples. */
export interface HiddenRule {
  id: string;
  severity: Severity;
  message: string;
}

function rule(id: string, severity: Severity, message: string): HiddenRule {
  return { id, severity, message };
}

/** The rules, keyed by what they see. */
export const HIDDEN_RULES = {
  tags: rule(
    'hidden.unicode-tags',
    'critical',
    'Invisible Unicode tag characters carry hidden text; send the text in ordinary visible characters only.',
  ),
  bidi: rule(
    'hidden.bidi-override',
    'high',
    'Bidirectional override or isolate characters make text display differently from what it says; remove them.',
  ),
  zeroWidth: rule(
    'hidden.zero-width',
    'medium',
    'Zero-width or other invisible characters hide or split words; remove them and send only visible text.',
  ),
  selectors: rule(
    'hidden.variation-selectors',
    'high',
    'A run of variation selectors can carry hidden data; remove them and send plain text.',
  ),
  ansi: rule(
    'hidden.ansi-escape',
    'high',
    'Terminal escape sequences can hide or rewrite what a person sees; remove them and send plain text.',
  ),
  control: rule(
    'hidden.control-character',
    'medium',
    'Control characters do not belong in tool arguments; remove them (tabs and newlines are fine).',
  ),
} as const satisfies Record<string, HiddenRule>;

/** Every rule id the hidden detector may report. */
export const HIDDEN_RULE_IDS: readonly string[] = Object.values(HIDDEN_RULES).map((r) => r.id);
