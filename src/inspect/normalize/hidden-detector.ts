/**
 * The hidden-character scan as a Detector (`detector: hidden`), for text that does not come
 * through normalizeArguments: tool results, resources, tool definitions. For `tools/call`
 * arguments normalizeArguments already returns these findings; running both doubles them.
 */
import type { Detector, Finding, InspectedString } from '../types.js';
import { scanHidden } from './hidden.js';
import { HIDDEN_RULE_IDS } from './hidden-rules.js';

/** Reports hidden characters in the raw text of each string. */
export const hiddenDetector: Detector = {
  category: 'hidden-characters',
  ruleIds: HIDDEN_RULE_IDS,
  inspect(strings: readonly InspectedString[]): Finding[] {
    return strings.flatMap((s) => scanHidden(s.raw, s.path));
  },
};
