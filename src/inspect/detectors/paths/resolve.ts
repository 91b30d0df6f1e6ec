/**
 * Resolving a parsed path to the absolute path the server will touch: against the base
 * folder, `~` expanded, `.` and `..` collapsed lexically (as Node's `path.resolve` does before
 * any file is opened), then symlinks followed through the injected `realpath`, which for a
 * path that does not exist yet (a write) is asked about its nearest existing ancestor.
 */
import type { PathContext } from '../../types.js';
import { parseAbsolute, type Anchor, type ParsedPath } from './parse.js';
import { dotDotKind } from './traversal.js';

/** An absolute path: an anchor and plain parts (no `.`, no `..`). */
export interface AbsolutePath {
  anchor: Anchor;
  segments: string[];
}

/** A path resolved both ways: lexically, and with symlinks followed. */
export interface ResolvedPath {
  lexical: AbsolutePath;
  real: AbsolutePath;
}

/**
 * The folder a relative path starts from: the first root when roots are configured (where
 * filesystem servers anchor relative paths, and where the model is told it works), else the
 * server's working directory.
 */
export function baseFolder(ctx: PathContext): string {
  return ctx.roots[0] ?? ctx.cwd;
}

/**
 * Every folder a relative path may be read from: the base folder, and the server's real
 * working directory when the edge knows it and it differs (a server that ignores the
 * roots opens relative paths there).
 */
export function relativeBases(ctx: PathContext): string[] {
  const base = baseFolder(ctx);
  return ctx.serverCwd === undefined || ctx.serverCwd === base ? [base] : [base, ctx.serverCwd];
}

/** The absolute path a parsed path names, before symlinks. Undefined if the base or home folder is not absolute. */
export function resolveLexically(parsed: ParsedPath, ctx: PathContext, base = baseFolder(ctx)): AbsolutePath | undefined {
  // An absolute path with no part starting with `.` has no `.` or `..` (of any kind) to
  // collapse: its parts are its own (copied, as the loop below would).
  if (parsed.start.kind === 'absolute' && !parsed.segments.some(startsWithDot)) return { anchor: parsed.start.anchor, segments: parsed.segments.slice() };
  return resolveLexicallyReadInFull(parsed, ctx, base);
}

/** resolveLexically without its shortcut: every part read (the tests compare the two). */
export function resolveLexicallyReadInFull(parsed: ParsedPath, ctx: PathContext, base = baseFolder(ctx)): AbsolutePath | undefined {
  const start = startOf(parsed, ctx, base);
  if (!start) return undefined;
  const segments = [...start.segments];
  for (const segment of parsed.segments) {
    if (segment === '.') continue;
    // A disguised `..` (`..;`, `....`) is taken as one too: some server will read it so.
    if (dotDotKind(segment) !== undefined) segments.pop();
    else segments.push(segment);
  }
  return { anchor: start.anchor, segments };
}

const startsWithDot = (segment: string) => segment.charCodeAt(0) === 0x2e;

/** Where a parsed path starts: its anchor, the base folder, or a home folder. */
export function startOf(parsed: ParsedPath, ctx: PathContext, base = baseFolder(ctx)): AbsolutePath | undefined {
  const { start } = parsed;
  if (start.kind === 'absolute') return { anchor: start.anchor, segments: [] };
  if (start.kind === 'relative') return parseAbsolute(base);
  const home = parseAbsolute(ctx.home);
  if (start.user === undefined || !home) return home;
  // `~name`: shells look the user up; their home is next to ours, except root's.
  if (start.user === 'root') return { anchor: { type: 'posix' }, segments: ['root'] };
  return { anchor: home.anchor, segments: [...home.segments.slice(0, -1), start.user] };
}

/**
 * renderPath(path), given a text that may already be it (the spelling the path was read
 * from): that text when it is, compared part by part in place, else the rendering. Most
 * paths are written as their system spells them (`/srv/data/x`), and then nothing is joined.
 */
export function renderPathFrom(path: AbsolutePath, text: string): string {
  const { anchor, segments } = path;
  if (anchor.type !== 'posix' || text.charCodeAt(0) !== 0x2f) return renderPath(path);
  let at = 1;
  for (let k = 0; k < segments.length; k++) {
    const part = segments[k] as string;
    if (k > 0) {
      if (text.charCodeAt(at) !== 0x2f) return renderPath(path);
      at += 1;
    }
    if (!text.startsWith(part, at)) return renderPath(path);
    at += part.length;
  }
  return at === text.length ? text : renderPath(path);
}

/** The path as the operating system spells it, for `realpath` and messages. */
export function renderPath(path: AbsolutePath): string {
  const { anchor, segments } = path;
  if (anchor.type === 'posix') return `/${segments.join('/')}`;
  if (anchor.type === 'drive') return `${anchor.letter.toUpperCase()}:\\${segments.join('\\')}`;
  if (anchor.type === 'device') return `\\\\?\\${[anchor.name, ...segments].join('\\')}`;
  return `\\\\${[anchor.host, anchor.share, ...segments].join('\\')}`;
}

/**
 * The path with symlinks followed (`rendered`: the lexical path's text, when the caller has it). When it does not exist, its nearest existing ancestor is
 * resolved and the rest appended. Existence is monotone along a path, so the ancestor is
 * found by bisection: a few calls however deep the path. When nothing exists, or realpath
 * answers with something that is not absolute, the lexical path stands.
 */
export function resolveReal(lexical: AbsolutePath, realpath: (path: string) => string | undefined, rendered = renderPath(lexical)): AbsolutePath {
  const prefix = (length: number): AbsolutePath => ({ anchor: lexical.anchor, segments: lexical.segments.slice(0, length) });
  const full = realpath(rendered);
  // A path that exists without symlinks comes back as it was asked: a POSIX path is then read
  // back as itself (its parts hold no separator and none is empty), unless it starts with
  // `/??/`, which reads as Windows' device prefix; it is not parsed again.
  if (full === rendered && lexical.anchor.type === 'posix' && lexical.segments[0] !== '??') return lexical;
  if (full !== undefined) return parseAbsolute(full) ?? lexical;
  let found: { length: number; real: string } | undefined;
  let low = 0;
  let high = lexical.segments.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const real = realpath(renderPath(prefix(mid)));
    if (real === undefined) high = mid - 1;
    else {
      found = { length: mid, real };
      low = mid + 1;
    }
  }
  if (!found) return lexical;
  const base = parseAbsolute(found.real);
  if (!base) return lexical;
  return { anchor: base.anchor, segments: [...base.segments, ...lexical.segments.slice(found.length)] };
}

/** Both resolutions of a parsed path, from `base` when it is relative. */
export function resolvePath(parsed: ParsedPath, ctx: PathContext, realpath: (path: string) => string | undefined, base = baseFolder(ctx)): ResolvedPath | undefined {
  const lexical = resolveLexically(parsed, ctx, base);
  if (!lexical) return undefined;
  return { lexical, real: resolveReal(lexical, realpath) };
}

/**
 * True when `path` is `root` or below it, part by part (so `/srv/data2` is not in
 * `/srv/data`). Windows paths compare without case, as Windows does; POSIX paths exactly,
 * so a differently-cased spelling counts as outside (refused, never let through).
 */
export function isInside(path: AbsolutePath, root: AbsolutePath): boolean {
  if (!sameAnchor(path.anchor, root.anchor)) return false;
  if (path.segments.length < root.segments.length) return false;
  const posix = path.anchor.type === 'posix';
  for (let i = 0; i < root.segments.length; i++) {
    const segment = root.segments[i] as string;
    const own = path.segments[i] as string;
    if (posix ? segment !== own : segment.toLowerCase() !== own.toLowerCase()) return false;
  }
  return true;
}

function sameAnchor(a: Anchor, b: Anchor): boolean {
  if (a.type === 'posix' || b.type === 'posix') return a.type === b.type;
  if (a.type === 'drive' || b.type === 'drive') return a.type === 'drive' && b.type === 'drive' && a.letter === b.letter;
  if (a.type === 'device' || b.type === 'device') return a.type === 'device' && b.type === 'device' && a.name === b.name;
  return a.type === 'unc' && b.type === 'unc' && a.host === b.host && a.share === b.share;
}
