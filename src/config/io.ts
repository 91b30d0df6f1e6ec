/**
 * The loader's only contact with the outside world, passed in so tests can
 * hand it fixtures and a fake environment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What loading a policy may read. */
export interface PolicyIO {
  /** Read a file as UTF-8; throws (e.g. ENOENT) when it cannot. */
  readFile(path: string): string;
  /** Variables for `${VAR}` expansion, and HOME/USERPROFILE for `~`. */
  env: Record<string, string | undefined>;
  /** Folder holding the shipped presets (`<name>.yaml`). */
  presetsDir: string;
  /** Optional: list a folder, used only to suggest a preset name after a typo. */
  listDir?(path: string): string[];
}

/**
 * `<package root>/policies`. This file lives at `src/config/io.ts` under
 * vitest and at `dist/config/io.js` when built: both are two levels below the root.
 */
export function defaultPresetsDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'policies');
}

/** A PolicyIO over the real file system, for the CLI. */
export function nodePolicyIO(env: Record<string, string | undefined> = process.env): PolicyIO {
  return {
    readFile: (path) => readFileSync(path, 'utf8'),
    env,
    presetsDir: defaultPresetsDir(),
    listDir: (path) => readdirSync(path),
  };
}
