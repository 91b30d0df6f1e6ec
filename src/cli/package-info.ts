/**
 * Facts about the installed package, read from its own files: the version `--version`
 * prints and the schemas `vanguard schema` prints. Found from this file's place in the
 * package, never from the working folder, so they hold however Vanguard is launched
 * (a global install, npx, a wrapped client config, `node /abs/bin/vanguard.js`).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: this file is `dist/cli/package-info.js` (or `src/cli/…` under vitest). */
export function packageRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** Vanguard's own version, from its package.json. */
export function vanguardVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

/** Path of a shipped schema: the policy schema, or the `vanguard test` file schema. */
export function schemaFile(which: 'policy' | 'test'): string {
  return join(packageRoot(), 'policies', which === 'policy' ? 'schema.json' : 'test-schema.json');
}
