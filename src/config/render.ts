/**
 * The effective policy as YAML, for `vanguard check`: what applies after
 * presets are merged and variables expanded, with where it came from.
 */
import { stringify } from 'yaml';
import type { PolicyDocument } from './policy-types.js';

/**
 * YAML of a (merged, expanded) policy with a comment header listing the
 * source files, base first. The output loads back as the same policy.
 */
export function renderEffectivePolicy(doc: PolicyDocument, sources: readonly string[] = []): string {
  const header = ['# Effective Vanguard policy: presets merged, environment variables expanded, defaults filled in.'];
  if (sources.length > 0) {
    header.push('# Sources, base first:', ...sources.map((s) => `#   ${s}`));
  }
  // lineWidth 0: never fold long strings (reasons, paths) across lines.
  return `${header.join('\n')}\n${stringify(doc, { lineWidth: 0 })}`;
}
