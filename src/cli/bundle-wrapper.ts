/**
 * The function a start bundle's CommonJS code runs in (start-loader.ts): Node's module wrapper,
 * with the two links between the start bundles as two more parameters.
 *
 * scripts/bundle-start.mjs writes each bundle already inside it, after the bundle's build line,
 * so the loader compiles the file's text as it was read. Wrapped at load time instead, the text
 * was joined to the wrapper, and V8 made a flat copy of the join to compile: 1.5 MB of the two
 * bundles, which stayed in memory beside the text read until a full collection (one the
 * idle shim may not make for a while).
 */

/** What comes before a bundle's code. */
export const BUNDLE_WRAPPER_OPEN = '(function (exports, require, module, __filename, __dirname, __vanguardBeforeSpawn, __vanguardAfterSpawn) { ';
/** What comes after it. */
export const BUNDLE_WRAPPER_CLOSE = '\n})\n';

/**
 * Whether `text` is a bundle the build wrote inside the wrapper: the wrapper opens on its first
 * line, or on its second after a `//` comment line (the build line). Only the opening is read:
 * a file whose end differs (CRLF line ends, a newline more or less) is still the build's, and one
 * whose function is not closed is a syntax error when compiled, never a function wrapped twice.
 */
export function isWrappedBundle(text: string): boolean {
  if (text.startsWith(BUNDLE_WRAPPER_OPEN)) return true;
  const newline = text.indexOf('\n');
  return newline !== -1 && text.startsWith('//') && text.startsWith(BUNDLE_WRAPPER_OPEN, newline + 1);
}

/** `text` inside the wrapper, unless it is there already. */
export function wrappedBundle(text: string): string {
  return isWrappedBundle(text) ? text : `${BUNDLE_WRAPPER_OPEN}${text}${BUNDLE_WRAPPER_CLOSE}`;
}
