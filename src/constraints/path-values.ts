/**
 * The `paths` constraint: every spelling of every path the argument holds (decoded as
 * inspection decodes it, `~` expanded, resolved against each base the server may use, and
 * with symlinks followed) must match one of the globs. A path that cannot be read is refused.
 */
import micromatch from 'micromatch';
import { decodePathLeniently } from '../inspect/detectors/paths/decode.js';
import { parsePath } from '../inspect/detectors/paths/parse.js';
import { renderPath, resolvePath } from '../inspect/detectors/paths/resolve.js';
import type { PathContext } from '../inspect/types.js';
import type { ConstraintEdge } from './types.js';

/** Paths per argument value we look at; an array longer than this is refused. */
export const MAX_PATHS_PER_ARGUMENT = 256;
/** Longest path text we read. */
export const MAX_PATH_CHARS = 8_192;

/** A compiled `paths` constraint. */
export interface PathRule {
  globs: string[];
  /** True when the absolute path (as the OS spells it) is allowed. */
  allows(path: string): boolean;
}

const PATH_GLOB_OPTIONS = { dot: true, nonegate: true, noextglob: true, strictBrackets: true } as const;

// The literal folder a glob starts with: `/srv/data/**` -> `/srv/data`.
function literalBase(glob: string): string {
  const parts = glob.split('/');
  const cut = parts.findIndex((p) => /[*?[\]{}()!]/.test(p));
  return (cut < 0 ? parts : parts.slice(0, cut)).join('/') || '/';
}

/** Compile path globs: `~` expanded, and each glob also with its literal base's symlinks followed. */
export function compilePathRule(globs: readonly string[], edge: ConstraintEdge): PathRule {
  const expanded = globs.map((g) => (g === '~' || g.startsWith('~/') ? edge.home + g.slice(1) : g));
  const all = new Set(expanded);
  for (const glob of expanded) {
    const base = literalBase(glob);
    const real = edge.realpath(base);
    if (real !== undefined && real !== base) all.add(real + glob.slice(base.length));
  }
  const matchers = [...all].map((g) => micromatch.matcher(g, { ...PATH_GLOB_OPTIONS }));
  return { globs: [...globs], allows: (path) => matchers.some((m) => m(path)) };
}

/** The strings a path argument holds, or why it holds none we can check. */
export function pathStrings(value: unknown): string[] | string {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) {
    if (value.length > MAX_PATHS_PER_ARGUMENT) return `holds more than ${MAX_PATHS_PER_ARGUMENT} paths`;
    if (value.every((v) => typeof v === 'string')) return value as string[];
  }
  return `is ${describeType(value)}, not a path or a list of paths`;
}

/** What a JSON value is, in words. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

// The texts one path may be read as: as sent, decoded, cut at a NUL, trimmed.
function spellings(raw: string): string[] {
  const out = new Set<string>([raw]);
  const decoded = decodePathLeniently(raw);
  out.add(decoded);
  for (const text of [...out]) {
    const nul = text.indexOf('\0');
    if (nul >= 0) out.add(text.slice(0, nul));
    out.add(text.trim());
  }
  out.delete('');
  return [...out];
}

/**
 * Every absolute path the text may name, or a reason it cannot be read. Relative paths
 * are resolved against the cwd and against every root (servers differ in which they use).
 */
export function resolvedForms(raw: string, roots: readonly string[], cwd: string, edge: ConstraintEdge): string[] | string {
  if (raw.length > MAX_PATH_CHARS) return `is longer than ${MAX_PATH_CHARS} characters`;
  const texts = spellings(raw);
  if (texts.length === 0) return 'is empty';
  const bases: PathContext[] = [undefined, ...roots].map((root) => ({ roots: root === undefined ? [] : [root], deny: [], cwd, home: edge.home, realpath: edge.realpath }));
  const forms = new Set<string>();
  for (const text of texts) {
    const readings = parsePath(text);
    if (readings.length === 0) return 'cannot be read as a path';
    // No file system names a part longer than 255 bytes; code that truncates or skips one reads another path.
    if (readings.some((r) => r.segments.some((s) => Buffer.byteLength(s) > 255))) return 'holds a part longer than 255 bytes, which no file system names';
    for (const parsed of readings) {
      for (const ctx of parsed.start.kind === 'relative' ? bases : bases.slice(0, 1)) {
        const resolved = resolvePath(parsed, ctx, edge.realpath);
        if (!resolved) return 'cannot be resolved to one absolute path';
        forms.add(renderPath(resolved.lexical));
        forms.add(renderPath(resolved.real));
      }
    }
  }
  return [...forms];
}
