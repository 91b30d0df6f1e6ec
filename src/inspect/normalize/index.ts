/** Argument normalisation: the public surface of src/inspect/normalize. */
export { normalizeArguments, Normalizer, type NormalizeOptions, type NormalizeResult } from './normalize.js';
export { DEFAULT_NORMALIZE_LIMITS, type NormalizeLimits } from './limits.js';
export { buildReadingVariants, buildVariants, type Variant } from './variants.js';
export { scanHidden } from './hidden.js';
export { hiddenDetector } from './hidden-detector.js';
export { HIDDEN_RULES, HIDDEN_RULE_IDS, type HiddenRule } from './hidden-rules.js';
