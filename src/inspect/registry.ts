/**
 * The code detectors and validators that rule packs may name. A pack's `detector: ssrf`
 * or `validator: jwt` refers to an entry here.
 */
import type { RuleRegistry } from '../rules/load-pack.js';
import { ssrfDetector } from './detectors/network/ssrf.js';
import { pathDetector } from './detectors/paths/index.js';
import { promptDetector } from './detectors/prompt/obfuscated.js';
import { shellDetector } from './detectors/shell/detector.js';
import { sqlDetector } from './detectors/sql/detector.js';
import type { Detector } from './types.js';
import { VALIDATORS } from './validators/index.js';

/** Code detectors by the name packs use. */
export const NAMED_DETECTORS: Readonly<Record<string, Detector>> = {
  paths: pathDetector,
  ssrf: ssrfDetector,
  shell: shellDetector,
  sql: sqlDetector,
  prompt: promptDetector,
};

// Hidden characters are found by the normaliser itself, on the raw text of every string;
// its findings come back with the normalised arguments.
const NORMALIZER_DETECTORS = ['hidden'];

export const DETECTORS: readonly Detector[] = Object.values(NAMED_DETECTORS);

export const RULE_REGISTRY: RuleRegistry = {
  validators: VALIDATORS,
  detectors: new Set([...Object.keys(NAMED_DETECTORS), ...NORMALIZER_DETECTORS]),
};
