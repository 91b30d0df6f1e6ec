/** The path detector: resolution against roots, denied globs, sensitive files and `..` tricks. */
export { pathDetector, inspectPath, PATH_RULES } from './detector.js';
export { looksLikePath } from './shape.js';
export { decodePathLeniently } from './decode.js';
