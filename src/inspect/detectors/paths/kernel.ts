/**
 * Resolving a path the way the kernel does: part by part, each symlink followed where it is
 * met, BEFORE a later `..` is applied. `/srv/data/link/../x` with `link -> /etc` is `/x` to
 * the kernel, while a lexical resolver (Node's `path.resolve`) says `/srv/data/x`. The file
 * system is only seen through the injected `readlink`; the walk is bounded like the kernel's
 * (40 symlinks) and in parts read.
 */
import type { AbsolutePath } from './resolve.js';

/**
 * The target of a symlink (as stored); undefined when the path exists and is not a symlink;
 * null when it does not exist (or cannot be looked up): the kernel stops there, and so does
 * the walk's looking.
 */
export type Readlink = (path: string) => string | null | undefined;

/** Where the kernel's walk ends. */
export interface KernelPath {
  path: AbsolutePath;
  /**
   * Set when the walk passed a per-process link (`/proc/<pid>/root`, `/proc/<pid>/cwd`,
   * `/proc/<pid>/fd/N`, `/dev/fd/N`…): through it a process reaches any file, and what it
   * points to for the server is not what it points to here, so it is not followed.
   */
  magic?: string;
  /** Set when the walk gave up: more than 40 symlinks (ELOOP), or too many parts. */
  failed?: string;
}

/** As many symlinks as Linux follows in one lookup before ELOOP. */
export const MAX_SYMLINKS = 40;
/** Parts read in one walk, symlink targets included; past it the walk fails (closed). */
export const MAX_PARTS = 4096;
/** The longest path the kernel accepts from a program (PATH_MAX); a longer text is never walked by it. */
export const PATH_MAX = 4096;

const PROC_MAGIC = new Set(['root', 'cwd', 'fd', 'exe', 'map_files', 'fdinfo']);

// The magic link a posix path has just reached, if any: /proc/<x>/<magic>, /proc/<x>/task/<y>/<magic>, /dev/fd, /dev/std*.
function magicLink(segments: readonly string[]): string | undefined {
  const [first, second, third, fourth, fifth] = segments;
  if (first === 'proc' && segments.length === 3 && PROC_MAGIC.has(third as string)) return `/proc/${second}/${third}`;
  if (first === 'proc' && third === 'task' && segments.length === 5 && PROC_MAGIC.has(fifth as string)) return `/proc/${second}/task/${fourth}/${fifth}`;
  if (first === 'dev' && segments.length === 2 && /^(?:fd|stdin|stdout|stderr)$/.test(second as string)) return `/dev/${second}`;
  return undefined;
}

const render = (segments: readonly string[]) => `/${segments.join('/')}`;

/**
 * Walk `parts` from the absolute `start` as the kernel does. Only POSIX paths are walked
 * (the shim sees its own file system); others come back as they are, `..` applied.
 */
export function walkKernel(start: AbsolutePath, parts: readonly string[], readlink: Readlink): KernelPath {
  const current = [...start.segments];
  // The parts still to read, last first, so a symlink's target is put in front cheaply.
  const pending = [...parts].reverse();
  const posix = start.anchor.type === 'posix';
  let links = 0;
  let read = 0;
  // Past a part that does not exist nothing further can be a symlink: no more looking up.
  let missing = false;
  while (pending.length > 0) {
    if (++read > MAX_PARTS) return { path: { anchor: start.anchor, segments: current }, failed: `more than ${MAX_PARTS} parts` };
    const part = pending.pop() as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      // `current` holds no symlink, so its parent is the real parent; `/..` is `/`.
      current.pop();
      continue;
    }
    current.push(part);
    if (!posix) continue;
    const magic = magicLink(current);
    if (magic !== undefined) return { path: { anchor: start.anchor, segments: [...current, ...pending.reverse()] }, magic };
    if (missing) continue;
    const target = readlink(render(current));
    if (target === null) missing = true;
    if (target === undefined || target === null) continue;
    if (++links > MAX_SYMLINKS) return { path: { anchor: start.anchor, segments: current }, failed: `more than ${MAX_SYMLINKS} symlinks` };
    current.pop();
    if (target.startsWith('/')) {
      current.length = 0;
    } else if (/^(?:[a-z]:)?[\\]|^[a-z]:/i.test(target)) {
      // A target this walk cannot follow (a Windows path in a link): where it leads is unknown.
      return { path: { anchor: start.anchor, segments: current }, failed: `a symlink to ${target.slice(0, 60)}` };
    }
    const inner = target.split('/');
    for (let i = inner.length - 1; i >= 0; i--) pending.push(inner[i] as string);
  }
  return { path: { anchor: start.anchor, segments: current } };
}

/** The magic link a path names in its text (no symlink followed), for callers without a file system. */
export function magicInText(path: AbsolutePath): string | undefined {
  // Every magic link is under /proc or /dev.
  if (path.anchor.type !== 'posix' || (path.segments[0] !== 'proc' && path.segments[0] !== 'dev')) return undefined;
  for (let i = 1; i <= Math.min(5, path.segments.length); i++) {
    const magic = magicLink(path.segments.slice(0, i));
    if (magic !== undefined) return magic;
  }
  return undefined;
}
