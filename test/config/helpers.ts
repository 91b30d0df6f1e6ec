/** Test helpers: an in-memory PolicyIO whose presets are the real shipped ones. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { defaultPresetsDir, type PolicyIO } from '../../src/config/index.js';

/** Files by path (as the loader will join them); anything under the presets folder is read from disk. */
export function memoryIO(files: Record<string, string>, env: Record<string, string | undefined> = {}): PolicyIO {
  const presetsDir = defaultPresetsDir();
  const table = new Map(Object.entries(files).map(([p, text]) => [normalize(p), text]));
  return {
    env,
    presetsDir,
    readFile(path) {
      const text = table.get(normalize(path));
      if (text !== undefined) return text;
      if (normalize(path).startsWith(presetsDir)) return readFileSync(path, 'utf8');
      throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    },
    listDir: (path) => readdirSync(path),
  };
}

/** The real file system, with a fixed environment. */
export function diskIO(env: Record<string, string | undefined> = { HOME: '/home/tester' }): PolicyIO {
  return {
    env,
    presetsDir: defaultPresetsDir(),
    readFile: (path) => readFileSync(path, 'utf8'),
    listDir: (path) => readdirSync(path),
  };
}

/** Shorthand for the shipped preset folder joined with a file name. */
export const preset = (name: string): string => join(defaultPresetsDir(), `${name}.yaml`);
